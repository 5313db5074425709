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
        ("1 < trust < 3", True),
        ("months != 7", False),
        ("data_shared == false", True),
        ("trust >= -1", True),
        ("true", True),
    ],
)
def test_conditions_evaluate_over_story_state(source, expected):
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
