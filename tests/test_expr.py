import pytest

from wizard.core.expr import ExprError, evaluate, format_number, names_in


def test_names_exclude_functions():
    assert names_in("ceil((100 - retries) * 5 / 60) + max(a, b)") == {"retries", "a", "b"}


@pytest.mark.parametrize(
    "text, expected",
    [("1 + 2 * 3", 7), ("(100 - 40) * 5", 300), ("7 // 2", 3), ("7 % 4", 3), ("-x + 1", -1), ("round(2.6)", 3)],
)
def test_evaluate(text, expected):
    assert evaluate(text, {"x": 2}) == expected


@pytest.mark.parametrize(
    "text",
    ["__import__('os')", "round(x, 2)", "ceil()", "x.y", "x[0]", "'text'", "x ** 2", "lambda: 1", "a if b else c", "open('f')", "1 <", "True"],
)
def test_rejects_what_is_not_arithmetic(text):
    with pytest.raises(ExprError):
        names_in(text)


def test_missing_value_and_division_by_zero_are_expr_errors():
    with pytest.raises(ExprError, match="no value for y"):
        evaluate("y + 1", {})
    with pytest.raises(ExprError, match="division by zero"):
        evaluate("1 / x", {"x": 0})


def test_format_number():
    assert format_number(5.0) == "5"
    assert format_number(2.345) == "2.35"
    assert format_number(0.5) == "0.5"
