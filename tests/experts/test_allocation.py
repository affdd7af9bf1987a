"""The pure allocation (`shenbao.experts.allocation.allocate`) against brute force over small random cases."""

import itertools
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shenbao.experts.allocation import AllocationImpossible, allocate


def brute_force(needs, eligible, loads):
    """The smallest spread reachable, or None when some application cannot be served."""
    applications = sorted(needs)
    options = [list(itertools.combinations(sorted(set(eligible[a]) & set(loads)), needs[a])) for a in applications]
    best = None
    for choice in itertools.product(*options):
        counts = Counter(loads)
        for chosen in choice:
            counts.update(chosen)
        final = [counts[expert] for expert in loads]
        spread = max(final) - min(final)
        best = spread if best is None else min(best, spread)
    return best


case = st.integers(1, 5).flatmap(
    lambda members: st.tuples(
        st.just(list(range(members))),
        st.dictionaries(st.integers(0, members - 1), st.integers(0, 3)),
        st.lists(st.tuples(st.integers(0, 3), st.sets(st.integers(0, members - 1))), max_size=4),
    )
)


@settings(max_examples=400, deadline=None)
@given(case)
def test_allocate_is_valid_and_as_even_as_brute_force(data):
    members, current, requests = data
    loads = {member: current.get(member, 0) for member in members}
    needs = {index: need for index, (need, _eligible) in enumerate(requests)}
    eligible = {index: sorted(allowed) for index, (_need, allowed) in enumerate(requests)}
    best = brute_force(needs, eligible, loads)

    if best is None:
        with pytest.raises(AllocationImpossible):
            allocate(needs=needs, eligible=eligible, loads=loads)
        return
    result = allocate(needs=needs, eligible=eligible, loads=loads)
    for index, need in needs.items():
        chosen = result.pairs.get(index, [])
        assert len(chosen) == need and len(set(chosen)) == need and set(chosen) <= set(eligible[index])
    assert max(result.loads.values()) - min(result.loads.values()) == best
    assert sum(result.loads.values()) == sum(loads.values()) + sum(needs.values())
    assert allocate(needs=needs, eligible=eligible, loads=loads) == result  # deterministic


def test_the_first_application_without_enough_experts_is_named():
    with pytest.raises(AllocationImpossible) as refused:
        allocate(needs={"a": 1, "b": 2, "c": 3}, eligible={"a": [1], "b": [1], "c": []}, loads={1: 0, 2: 0})
    assert (refused.value.application, refused.value.needed, refused.value.available) == ("b", 2, 1)


def test_an_expert_excluded_elsewhere_does_not_unbalance_the_rest():
    # Greedy least-loaded-first would give expert 3 both "x" and "y"; the flow spreads them.
    eligible = {"x": [1, 3], "y": [2, 3], "z": [1, 2, 3]}
    result = allocate(needs={"x": 1, "y": 1, "z": 1}, eligible=eligible, loads={1: 0, 2: 0, 3: 0})
    assert sorted(result.loads.values()) == [1, 1, 1]
