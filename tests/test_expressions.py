import pytest

from leadgame.core.expressions import MAX_LENGTH, ExpressionError, parse

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
        ("'text' == trust", "literal"),
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
