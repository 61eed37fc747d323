"""Shared fixtures: the embedded plan, the sample, and reports of it."""

from __future__ import annotations

import plan_rules
import pytest


@pytest.fixture(scope="session")
def plan() -> plan_rules.Plan:
    return plan_rules.Plan.default()


@pytest.fixture(scope="session")
def sample() -> plan_rules.Dataset:
    return plan_rules.Dataset.sample()


@pytest.fixture(scope="session")
def report(plan: plan_rules.Plan, sample: plan_rules.Dataset) -> plan_rules.Report:
    return plan.evaluate(sample, as_of="2018-12-31")
