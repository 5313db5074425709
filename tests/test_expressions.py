import pytest

from leadgame.core.expressions import MAX_LENGTH, ExpressionError, parse, type_problems, unparse

STATE = {"trust": 2, "data_shared": False, "months": 7}


@pytest.mark.parametrize(
    "source, expected",
    [
        ("trust >= 2", True),
        ("trust > 2", False),
        ("trust >= 2 and not data_shared", True),
        ("data_shared or trust == 2", True),
        ("not (trust == 2)", False),
        ("months != 7", False),
        ("data_shared == false", True),
        ("trust >= -1", True),
        ("true", True),
    ],
)
def test_conditions_evaluate_over_story_state(source, expected):
    assert parse(source).evaluate(STATE) is expected


# Every operator, with trust at 2, on both sides of its boundary and with the variable on either side.
@pytest.mark.parametrize(
    "source, expected",
    [
        ("trust == 2", True), ("trust == 3", False), ("2 == trust", True), ("3 == trust", False),
        ("trust != 3", True), ("trust != 2", False), ("3 != trust", True), ("2 != trust", False),
        ("trust < 3", True), ("trust < 2", False), ("1 < trust", True), ("2 < trust", False),
        ("trust <= 2", True), ("trust <= 1", False), ("2 <= trust", True), ("3 <= trust", False),
        ("trust > 1", True), ("trust > 2", False), ("3 > trust", True), ("2 > trust", False),
        ("trust >= 2", True), ("trust >= 3", False), ("2 >= trust", True), ("1 >= trust", False),
        ("months > trust", True), ("trust > months", False),
    ],
)
def test_every_comparison_both_ways(source, expected):
    assert parse(source).evaluate(STATE) is expected


# A chain holds only when every link holds: each link fails in turn, at either end or in the middle.
@pytest.mark.parametrize(
    "source, expected",
    [
        ("1 < trust < 3", True), ("2 < trust < 3", False), ("1 < trust < 2", False), ("3 < trust < 1", False),
        ("1 <= trust <= 2 < months", True), ("1 <= trust <= 2 < 2", False), ("3 <= trust <= 2 < months", False),
        ("trust == 2 == trust", True), ("trust == 2 == 3", False), ("2 < months > trust", True),
        ("0 < trust < months < 8", True), ("0 < trust < months < 7", False),
    ],
)
def test_chained_comparisons_hold_only_when_every_link_holds(source, expected):
    assert parse(source).evaluate(STATE) is expected


@pytest.mark.parametrize(
    "source, expected",
    [
        ("-trust == -2", True), ("-trust < -1", True), ("-trust > -2", False), ("- -trust == 2", True),
        ("-2 < trust", True), ("trust > -(-3)", False), ("not data_shared", True), ("not not data_shared", False),
        ("True", True), ("False", False), ("false or trust == 2", True), ("true and trust != 2", False),
        ("data_shared and trust == 2", False), ("trust == 2 and months == 7 and not data_shared", True),
        ("trust == 1 or months == 1 or data_shared", False), ("trust == 1 or months == 7", True),
    ],
)
def test_unary_minus_not_and_or(source, expected):
    assert parse(source).evaluate(STATE) is expected


def test_names_are_collected_for_validation():
    assert parse("trust >= 2 and not data_shared").names == {"trust", "data_shared"}


@pytest.mark.parametrize(
    "source, fragment",
    [
        ("__import__('os')", "function call"),
        ("trust.real", "attribute access"),
        ("trust[0]", "indexing"),
        ("trust + 1 > 2", "arithmetic"),
        ("b'bytes' == trust", "literal"),
        ("trust == 1.5", "literal"),
        ("'" + "x" * 70 + "' == trust", "quoted text longer"),
        ("trust in (1, 2)", "comparisons"),
        ("lambda: 1", "lambda"),
        ("trust >=", "cannot parse"),
        ("", "empty"),
        ("2 ** 99999999 > trust", "arithmetic"),
    ],
)
def test_anything_beyond_the_language_is_refused(source, fragment):
    with pytest.raises(ExpressionError) as error:
        parse(source)
    assert fragment in str(error.value)


def test_length_and_depth_are_bounded():
    with pytest.raises(ExpressionError, match="longer than"):
        parse("trust == 1 or " * 20 + "trust == 1")
    assert len("trust == 1 or " * 20) > MAX_LENGTH - 20
    with pytest.raises(ExpressionError, match="nested deeper"):
        parse("not " * 30 + "trust")


def test_error_column_points_into_the_expression():
    with pytest.raises(ExpressionError) as error:
        parse("trust >= 2 and f(x)")
    assert error.value.column == 16


KINDS = {"trust": "int", "data_shared": "bool", "stance": ("wait", "act")}


@pytest.mark.parametrize(
    "source, problem",
    [
        ("data_shared == 1", "`data_shared == 1` compares true/false with a number"),
        ("trust == False", "`trust == false` compares a number with true/false"),
        ("trust", "`trust` is a number, not true/false: compare it, e.g. `trust >= 1`"),
        ("trust and data_shared", "`and` needs true/false, but `trust` is a number"),
        ("not trust", "`not` needs true/false, but `trust` is a number"),
        ("data_shared > 0", "compares true/false with a number"),
        ("data_shared >= true", "only numbers can be compared with < <= > >="),
        ('stance == "acting"', "'acting' is not one of the values declared for it (wait, act)"),
        ("stance == 2", "compares listed text with a number"),
        ("stance", '`stance` is listed text, not true/false: compare it, e.g. `stance == "wait"`'),
        ("-data_shared < trust", "`-` needs a number"),
    ],
)
def test_type_problems_name_the_mismatch(source, problem):
    problems = type_problems(parse(source), KINDS)
    assert any(problem in found for found in problems), problems


@pytest.mark.parametrize("source", ["trust >= 2 and not data_shared", 'stance == "act" or data_shared',
                                    "1 < trust < 3", "data_shared == false", "-trust < 0", "undeclared > 1"])
def test_well_typed_conditions_have_no_problems(source):
    assert type_problems(parse(source), KINDS) == []


def test_text_comparisons_evaluate():
    assert parse('stance == "act"').evaluate({"stance": "act"}) is True
    assert parse("stance != 'act'").evaluate({"stance": "act"}) is False


@pytest.mark.parametrize("source", ["trust >= 2 and not data_shared", "not (trust == 2 or data_shared)",
                                    '1 < trust <= 3 and stance == "act"', "-trust > -2"])
def test_unparse_round_trips(source):
    tree = parse(source).tree
    assert parse(unparse(tree)).tree == tree


@pytest.mark.parametrize("source, message, column", [
    ("trust => 2", "cannot parse condition: `=>` is not an operator: write `>=` for 'at least'", 7),
    ("trust =< 2", "cannot parse condition: `=<` is not an operator: write `<=` for 'at most'", 7),
    ("trust > 1 && ready", "cannot parse condition: write `and` instead of `&&`", 11),
    ("ready || trust > 1", "cannot parse condition: write `or` instead of `||`", 7),
    ("!ready", "cannot parse condition: write `not` instead of `!`", 1),
    ("trust = 2", "cannot parse condition: write `==` to compare (a single `=` assigns, which a condition cannot do)", 7),
    ('stance == "a=>b" and trust => 1', "cannot parse condition: `=>` is not an operator: write `>=` for 'at least'", 28),
    ("ready && !done", "cannot parse condition: write `and` instead of `&&`", 7),  # the first one met
    ("trust >=", "cannot parse condition: invalid syntax", 9),
    ("  ", "empty condition", 1),
    ("trust == 1 or " * 15, "condition longer than 200 characters", 200),
    ("ready and (trust ==", "cannot parse condition: '(' was never closed", 11),
    ("a & b", "write `and` instead of `&`", 1),
    ("a | b", "write `or` instead of `|`", 1),
    ("ready and (a | b)", "write `or` instead of `|`", 12),
    ("ready and (a & b)", "write `and` instead of `&`", 12),
    ("ready and trust in (1, 2)", "only == != < <= > >= comparisons are allowed", 11),
    ("ready or '" + "x" * 65 + "' == stance", "quoted text longer than 64 characters", 10),
    ("not " * 13 + "trust", "condition nested deeper than 12 levels", 53),
    ("trust >= 2 and f(x)", "'a function call' is not allowed in a condition", 16),
    ("trust.real", "'attribute access' is not allowed in a condition", 1),
    ("trust[0]", "'indexing' is not allowed in a condition", 1),
    ("trust + 1 > 2", "'arithmetic' is not allowed in a condition", 1),
    ("lambda: 1", "'lambda' is not allowed in a condition", 1),
    ("trust if ready else 2", "'IfExp' is not allowed in a condition", 1),
    ("b'" + "x" * 40 + "' == trust", "'the literal b'" + "x" * 26 + "' is not allowed in a condition", 1),  # 40 characters
    ("trust == 1" + "0" * 9 + "1", "number larger than 1000000000", 10),
])
def test_refusals_say_what_to_write_and_where(source, message, column):
    with pytest.raises(ExpressionError) as error:
        parse(source)
    assert (str(error.value), error.value.column) == (message, column)


def test_the_largest_number_and_longest_text_are_allowed():
    assert parse("not " * 12 + "data_shared").evaluate(STATE) is False  # nested as deep as allowed
    longest = "trust == 2 or " * 13 + "trust == 222222222"
    assert len(longest) == MAX_LENGTH and parse(longest).evaluate(STATE)  # as long as allowed
    assert parse("trust < 1" + "0" * 9).evaluate(STATE) and parse("trust > -1" + "0" * 9).evaluate(STATE)
    assert parse("stance == '" + "x" * 64 + "'").evaluate({"stance": "x" * 64})


@pytest.mark.parametrize("source, problems", [
    ('"abc" == 1', ['`"abc" == 1` compares text with a number']),
    ('not "a"', ['`not` needs true/false, but `"a"` is text: compare it, e.g. `"a" == "..."`']),
    ("-data_shared and trust >= 1", ["`-` needs a number, but `data_shared` is true/false",
                                     "`and` needs true/false, but `-data_shared` is a number: compare it, e.g. `-data_shared >= 1`"]),
    ("-data_shared", ["`-` needs a number, but `data_shared` is true/false",
                      "`-data_shared` is a number, not true/false: compare it, e.g. `-data_shared >= 1`"]),
    ("-(trust and data_shared) < 1", ["`and` needs true/false, but `trust` is a number: compare it, e.g. `trust >= 1`",
                                      "`-` needs a number, but `trust and data_shared` is true/false"]),
    ("trust == -data_shared", ["`-` needs a number, but `data_shared` is true/false"]),
    ('"acting" == stance', ["`\"acting\" == stance`: 'acting' is not one of the values declared for it (wait, act)"]),
    ('"act" == stance', []),
    ('stance < "act"', ['`stance < "act"`: only numbers can be compared with < <= > >=; use == or !=']),
    ("stance or trust", ['`or` needs true/false, but `stance` is listed text: compare it, e.g. `stance == "wait"`',
                         "`or` needs true/false, but `trust` is a number: compare it, e.g. `trust >= 1`"]),
])
def test_type_problems_are_told_in_full(source, problems):
    assert type_problems(parse(source), KINDS) == problems


@pytest.mark.parametrize("source", ["trust >= 2 and not data_shared", "not (trust == 2 or data_shared)",
                                    '1 < trust <= 3 and stance == "act"', "-trust > -2", "(trust == 2) == data_shared",
                                    "trust == (1 < months)", "(data_shared or true) == false", "-(trust) < 0 or (months != 7 and true)", "not false"])
def test_unparse_writes_the_condition_as_an_author_would(source):
    expected = {"-(trust) < 0 or (months != 7 and true)": "-trust < 0 or (months != 7 and true)"}.get(source, source)
    assert unparse(parse(source).tree) == expected
