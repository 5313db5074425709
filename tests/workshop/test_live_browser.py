"""End to end in real headless browsers: three learners join a live room from Chromium, vote,
change a vote, see the room's tally applied and answer a reflection question, while the
facilitator drives the projector through Textual's Pilot in the same test.

Needs Chromium, its WebDriver and selenium. Without them the test is skipped, so a new
contributor still gets a green suite; CI sets LEADGAME_REQUIRE_BROWSER=1, which turns that
skip into a failure, so the browser test always runs there.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import tempfile

import pytest
from live_helpers import free_port
from room_helpers import FakeClock, new_room

from leadgame.core.workshop import read_workshop
from leadgame.workshop.app import RoomDebriefScreen, RoomScreen, WorkshopApp
from leadgame.workshop.live.server import LiveRoom
from leadgame.workshop.widgets import VoteChart

REQUIRE = os.environ.get("LEADGAME_REQUIRE_BROWSER") == "1"
CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--window-size=390,844")
STARK, AMBITION = "Paint the perfect storm in stark terms", "Lead with the one-time opportunity to change children's services"


def browser_parts() -> tuple[str, str]:
    """Chromium and its driver, or a skip (a failure when LEADGAME_REQUIRE_BROWSER=1)."""
    chromium = next((p for p in map(shutil.which, ("chromium", "chromium-browser", "google-chrome")) if p), None)
    driver = shutil.which("chromedriver")
    problem = ""
    try:
        import selenium  # noqa: F401
    except ImportError:
        problem = "selenium is not installed (pip install -e '.[test]')"
    if not (chromium and driver):
        problem = "no Chromium and chromedriver here (Debian: apt-get install chromium chromium-driver)"
    if problem:
        if REQUIRE:
            pytest.fail(f"LEADGAME_REQUIRE_BROWSER=1 but {problem}")
        pytest.skip(problem)
    return chromium, driver


class Browser:
    """One learner's browser, each with its own profile (so its own cookie). Selenium blocks,
    so every call runs in a thread and the room's server keeps answering meanwhile."""

    def __init__(self, chromium: str, driver: str) -> None:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service

        self.profile = tempfile.mkdtemp(prefix="leadgame-chromium-")
        options = webdriver.ChromeOptions()
        options.binary_location = chromium
        for flag in (*CHROMIUM_FLAGS, f"--user-data-dir={self.profile}"):
            options.add_argument(flag)
        self.driver = webdriver.Chrome(options=options, service=Service(driver))

    @classmethod
    async def open(cls, chromium: str, driver: str) -> "Browser":
        return await asyncio.to_thread(cls, chromium, driver)

    async def run(self, action, *args):
        return await asyncio.to_thread(action, *args)

    async def get(self, url: str) -> None:
        await self.run(self.driver.get, url)

    def _text(self, selector: str) -> str:
        from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
        from selenium.webdriver.common.by import By

        try:
            return self.driver.find_element(By.CSS_SELECTOR, selector).text
        except (NoSuchElementException, StaleElementReferenceException):
            return ""

    async def text(self, selector: str) -> str:
        return await self.run(self._text, selector)

    async def wait_for(self, selector: str, words: str, timeout: float = 15) -> str:
        """Wait until the element's visible text contains `words`; returns the text."""
        deadline = asyncio.get_running_loop().time() + timeout
        text = ""
        while asyncio.get_running_loop().time() < deadline:
            text = await self.text(selector)
            if words in text:
                return text
            await asyncio.sleep(0.1)
        raise AssertionError(f"{selector!r} never showed {words!r}; it shows {text!r}")

    def _click_label(self, words: str) -> None:
        from selenium.webdriver.common.by import By

        labels = self.driver.find_elements(By.CSS_SELECTOR, "#vote label")
        label = next((l for l in labels if l.text == words), None)  # StopIteration would hang the thread's future
        assert label is not None, f"no option {words!r} among {[l.text for l in labels]}"
        label.click()

    async def vote(self, label: str) -> None:
        """Pick an option by its words and send the vote, as a learner taps it."""
        from selenium.webdriver.common.by import By

        await self.wait_for("#voting-state", "Voting is open")
        await self.run(self._click_label, label)
        await self.run(lambda: self.driver.find_element(By.ID, "vote-button").click())
        await self.wait_for("#vote-status", f"Your vote: {label}.")

    async def vote_by_keyboard(self, *keys: str) -> None:
        """Vote with the keyboard alone, from the scene's heading (where a new scene puts focus)."""
        await self.wait_for("#voting-state", "Voting is open")
        assert await self.run(lambda: self.driver.switch_to.active_element.tag_name) == "h1"
        for key in keys:
            await self.run(lambda: self.driver.switch_to.active_element.send_keys(key))

    async def answer(self, text: str) -> None:
        from selenium.webdriver.common.by import By

        def type_and_send() -> None:
            box = self.driver.find_element(By.ID, "answer-0")
            box.send_keys(text)
            box.find_element(By.XPATH, "following-sibling::button").click()

        await self.run(type_and_send)
        await self.wait_for("#answer-0-status", "Sent, thank you")

    async def quit(self) -> None:
        await self.run(self.driver.quit)
        shutil.rmtree(self.profile, ignore_errors=True)


async def settle(pilot) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def keys(pilot, *names: str) -> None:
    for name in names:
        await pilot.press(name)
        await settle(pilot)


async def until(condition, timeout: float = 10) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():
        assert asyncio.get_running_loop().time() < deadline, "timed out waiting for the room"
        await asyncio.sleep(0.05)


async def test_three_browser_learners_and_a_facilitator_play_a_live_room(isolated_saves):
    chromium, driver = browser_parts()
    room = new_room(isolated_saves, FakeClock())
    live = LiveRoom(room, "127.0.0.1", free_port())
    app = WorkshopApp(room, live=live)
    learners: list[Browser] = []
    async with app.run_test(size=(130, 45)) as pilot:
        try:
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, RoomScreen)
            assert "Session code R O O M 1" in str(screen.query_one("#room-join").render())
            learners = list(await asyncio.gather(*(Browser.open(chromium, driver) for _ in range(3))))
            ann, ben, cal = learners

            # They scan the QR code (its address carries the code) and see the first decision.
            for learner in learners:
                await learner.get(live.join_url)
            for learner in learners:
                await learner.wait_for("#view h1", "Decision 1: The scrutiny panel")
                await learner.wait_for("#voting-state", "Voting opens when the facilitator says so")
            await until(lambda: "3 joined · 3 connected now" in str(screen.query_one("#room-join").render()))
            assert len(read_workshop(room.path).devices) == 3

            # The facilitator opens voting; two vote stark, Ben changes his mind to stark.
            await keys(pilot, "v")
            await ann.vote(STARK)
            await ben.vote(AMBITION)
            from selenium.webdriver.common.keys import Keys

            # Cal uses only the keyboard: Tab into the options (in the session's order), Space on the
            # first or Down to the second, Tab to the button, Enter.
            second = [c.id for c in room.choices()].index("ambition") == 1
            await cal.vote_by_keyboard(Keys.TAB, Keys.ARROW_DOWN if second else Keys.SPACE, Keys.TAB, Keys.ENTER)
            await cal.wait_for("#vote-status", f"Your vote: {AMBITION}.")
            await ben.vote(STARK)
            assert room.votes() == {"stark": 2, "ambition": 1}
            shown = {"stark": ("stark", STARK, 2), "ambition": ("ambition", AMBITION, 1)}
            await until(lambda: screen.query_one(VoteChart).rows == tuple(shown[c.id] for c in room.choices()))
            assert read_workshop(room.path).device_votes == room.record.device_votes  # on disk already

            # Enter decides on the majority; every page shows the tally applied and its own vote.
            await keys(pilot, "enter")
            assert screen.phase == "outcome"
            for learner, mine in ((ann, STARK), (ben, STARK), (cal, AMBITION)):
                await learner.wait_for(".chosen", f"The room chose: {STARK} (2 of 3 votes).")
                tally = await learner.text(".tally")
                assert f"{STARK}\n2 votes (67%)" in tally and f"{AMBITION}\n1 vote (33%)" in tally
                await learner.wait_for("#your-vote", f"You voted: {mine}.")
            assert "The panel is alarmed" in await ann.text(".story")

            # A room without devices still counts by hand: the trust board is typed in.
            await keys(pilot, "enter")
            await ann.wait_for("#view h1", "Decision 2: The Children's Trust Board")
            await keys(pilot, "1", "plus", "plus", "enter", "enter")  # decide, then past the consequence
            await keys(pilot, "enter", "enter")  # two passages
            await ann.wait_for("#view h1", "Decision 3")
            await keys(pilot, "2", "plus", "enter")
            await keys(pilot, "enter")  # past the last consequence, to the debrief
            assert isinstance(app.screen, RoomDebriefScreen)

            # At the debrief each learner answers the reflection question; one answer has HTML.
            for learner in learners:
                await learner.wait_for("#view h1", "Debrief:")
                await learner.wait_for("label[for=answer-0]", "Where in your system")
            await ann.answer("Housing says yes and then waits")
            await ben.answer("<b>bold</b> claims <script>alert(1)</script>")
            await cal.answer("Our own directorate, honestly")
            await until(lambda: len(room.record.answers) == 3)
            await settle(pilot)
            debrief = app.screen
            await keys(pilot, "right")
            assert "Answer 2 of 3" in str(debrief.query_one("#room-answer-where").render())
            assert "<b>bold</b> claims <script>alert(1)</script>" in str(debrief.query_one("#room-answer").render())
            assert [a.text for a in read_workshop(room.path).answers][1] == "<b>bold</b> claims <script>alert(1)</script>"

            # The presenter page lists the answers as text: the HTML shows, it does not run.
            await ann.get(live.presenter_url)
            answers = await ann.wait_for(".answers", "<b>bold</b> claims <script>alert(1)</script>")
            assert "Housing says yes" in answers
            assert await ann.run(lambda: ann.driver.execute_script("return document.querySelectorAll('.answers b, .answers script').length")) == 0
        finally:
            await asyncio.gather(*(learner.quit() for learner in learners), return_exceptions=True)


async def test_a_browser_page_reconnects_and_follows_the_room_after_a_server_restart(isolated_saves):
    from leadgame.core.workshop import WorkshopSession

    chromium, driver = browser_parts()
    clock = FakeClock()
    room = new_room(isolated_saves, clock)
    port = free_port()
    live = LiveRoom(room, "127.0.0.1", port)
    await live.start()
    learner = await Browser.open(chromium, driver)
    try:
        await learner.get(live.join_url)
        room.set_voting(True)
        await learner.vote(AMBITION)
        # The projector's process dies: only the room file is left.
        await live.stop()
        room.close()
        await learner.wait_for("#connection", "Reconnecting")
        resumed, _ = WorkshopSession.resume(room.scenario, isolated_saves, read_workshop(room.path), clock)
        live = LiveRoom(resumed, "127.0.0.1", port)
        await live.start()
        await learner.wait_for("#connection", "Connected")
        await learner.wait_for("#vote-status", f"Your vote: {AMBITION}.")  # its vote survived, no code asked again
        resumed.advance()  # and it follows the room from here
        await learner.wait_for(".chosen", f"The room chose: {AMBITION} (1 of 1 votes).")
    finally:
        await learner.quit()
        await live.stop()
