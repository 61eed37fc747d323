"""Dataset: loading from files, JSON, Python values; exact numbers; refused values."""

from __future__ import annotations

import json
import pickle
from decimal import Decimal
from typing import Any

import plan_rules
import pytest
from _paths import ROOT
from hypothesis import given, settings
from hypothesis import strategies as st

SAMPLE_FILE = ROOT / "spec" / "samples" / "xicheng-sample-2015-2020.json"


def _series(value: Any) -> dict[str, Any]:
    return {"series": {"lifelong_learning_bases": {"values": {"2016": value}}}}


def _stored(data: plan_rules.Dataset) -> Any:
    return data.to_dict()["series"]["lifelong_learning_bases"]["values"]["2016"]


def test_sample(sample: plan_rules.Dataset) -> None:
    assert sample.id == "xicheng-sample-synthetic-2015-2020"
    assert sample.synthetic
    assert sample.entity_count == 132
    assert "preschool_children_hukou" in sample.series_names
    assert sample.content_hash.startswith("sha256:")
    assert "132 entities" in repr(sample)


def test_file_json_and_dict_agree(sample: plan_rules.Dataset) -> None:
    text = SAMPLE_FILE.read_text(encoding="utf-8")
    assert plan_rules.Dataset.from_file(SAMPLE_FILE) == sample
    assert plan_rules.Dataset.from_json(text) == sample
    assert plan_rules.Dataset.from_json(text.encode()) == sample
    assert plan_rules.Dataset.from_dict(json.loads(text)) == sample
    assert plan_rules.Dataset.from_json(sample.to_json()) == sample
    assert text == plan_rules.SAMPLE_DATA_JSON


def test_dataset_pickles(sample: plan_rules.Dataset) -> None:
    assert pickle.loads(pickle.dumps(sample)) == sample


@pytest.mark.parametrize(
    ("value", "stored"),
    [
        (40, 40),
        (Decimal("40.50"), Decimal("40.50")),
        (Decimal("1E+3"), Decimal("1E+3")),
        ("40.50", "40.50"),
        (0.1, Decimal("0.1")),
        (0.1 + 0.2, Decimal("0.30000000000000004")),
        (True, True),
        (None, None),
    ],
)
def test_values_cross_exactly(value: Any, stored: Any) -> None:
    got = _stored(plan_rules.Dataset.from_dict(_series(value)))
    assert got == stored
    assert type(got) is type(stored)


@pytest.mark.parametrize(
    "value", [2**64, -(2**63) - 1, 10**30, Decimal(2**64), 1e16, 1e-7, Decimal("-0")]
)
def test_wide_and_odd_numbers_cross_exactly(value: Any) -> None:
    expected = Decimal(repr(value)) if isinstance(value, float) else value
    assert _stored(plan_rules.Dataset.from_dict(_series(value))) == expected


def test_int_keys_are_years() -> None:
    data = plan_rules.Dataset.from_dict(
        {"series": {"lifelong_learning_bases": {"values": {2016: 40}}}}
    )
    assert _stored(data) == 40


def test_numpy_scalars() -> None:
    np = pytest.importorskip("numpy")
    assert _stored(plan_rules.Dataset.from_dict(_series(np.int64(7)))) == 7
    assert _stored(plan_rules.Dataset.from_dict(_series(np.float64(0.25)))) == Decimal("0.25")


@pytest.mark.parametrize(
    "value",
    [float("nan"), float("inf"), float("-inf"), Decimal("NaN"), Decimal("-Infinity")],
)
def test_non_finite_numbers_raise(value: Any) -> None:
    with pytest.raises(plan_rules.DataError) as e:
        plan_rules.Dataset.from_dict(_series(value))
    assert e.value.code == "invalid_shape"
    assert e.value.path == "/series/lifelong_learning_bases/values/2016"
    assert "finite" in str(e.value)


@pytest.mark.parametrize("value", [{1, 2}, object(), b"40", 1j])
def test_wrong_types_raise(value: Any) -> None:
    with pytest.raises(plan_rules.DataError) as e:
        plan_rules.Dataset.from_dict(_series(value))
    assert e.value.path == "/series/lifelong_learning_bases/values/2016"


def test_bad_keys_raise() -> None:
    with pytest.raises(plan_rules.DataError) as e:
        plan_rules.Dataset.from_dict({"series": {("a",): {}}})  # type: ignore[dict-item]
    assert "keys must be" in str(e.value)


def test_wrong_shape_raises() -> None:
    with pytest.raises(plan_rules.DataError) as e:
        plan_rules.Dataset.from_dict({"series": []})
    assert (e.value.code, e.value.path) == ("invalid_shape", "/series")
    with pytest.raises(plan_rules.DataError) as e2:
        plan_rules.Dataset.from_json('{"series": ')
    assert e2.value.code == "invalid_json"


def test_unsupported_data_objects(plan: plan_rules.Plan) -> None:
    with pytest.raises(plan_rules.DataError) as e:
        plan.evaluate(42)  # type: ignore[arg-type]
    assert e.value.code == "invalid_type"
    with pytest.raises(FileNotFoundError):
        plan.evaluate("/nonexistent/data.json")


def test_bool_where_a_number_belongs(plan: plan_rules.Plan) -> None:
    data = {"series": {"hs_graduates": {"values": {"2016": True}}}}
    report = plan.evaluate(data, as_of="2016-12-31")
    assert report.result("A3").status == "not_assessable"
    assert [d.code for d in report.diagnostics] == ["invalid_type"]
    with pytest.raises(plan_rules.DataError) as e:
        plan.evaluate(data, as_of="2016-12-31", strict=True)
    assert e.value.code == "invalid_type"
    assert e.value.path == "/series/hs_graduates/values/2016"
    assert len(e.value.errors()) == 1


@settings(max_examples=200, deadline=None)
@given(
    st.decimals(allow_nan=False, allow_infinity=False, places=None).filter(
        lambda d: len(d.as_tuple().digits) <= 28 and -20 <= d.as_tuple().exponent <= 20  # type: ignore[operator]
    )
)
def test_decimals_never_lose_digits(value: Decimal) -> None:
    got = _stored(plan_rules.Dataset.from_dict(_series(value)))
    assert isinstance(got, (int, Decimal))
    assert Decimal(got) == value
    assert str(got) == str(value) or Decimal(got) == value


@settings(max_examples=200, deadline=None)
@given(st.floats(allow_nan=False, allow_infinity=False))
def test_floats_cross_by_shortest_repr(value: float) -> None:
    got = _stored(plan_rules.Dataset.from_dict(_series(value)))
    assert Decimal(got) == Decimal(repr(value))
