"""Load-balanced allocation of experts to applications (分配), as a pure function over plain keys.

The database side (who is eligible, who already reviews what) is worked out by `shenbao.experts.assignment`;
this module only answers: given how many more experts each application needs, which experts may review it and
how many assignments every panel member already has, pick the new pairs so that the final loads are as even
as possible — a spread of at most one whenever the constraints allow it.

Greedy "least loaded first" is not enough: an expert excluded from many applications (same unit, same county,
a declared relation) can leave the others with two more assignments than they need. So each candidate band
[lo, hi] of final loads is tested as a flow problem (source → application, capacity = need; application →
eligible expert, capacity 1; expert → sink, between lo and hi minus the current load), narrowest band first.
Lower bounds are met by a first pass with the sink capacities set to the shortfall below `lo`; augmenting paths
never reduce the flow into the sink, so the second pass (capacities raised to `hi`) keeps them.

Everything is iterated in sorted order, so the same input always gives the same pairs.
"""

from collections import deque
from dataclasses import dataclass


class AllocationImpossible(Exception):
    """Raised when an application has fewer eligible experts than it still needs."""

    def __init__(self, application, *, needed, available):
        super().__init__(application)
        self.application = application
        self.needed = needed
        self.available = available


@dataclass(frozen=True)
class Allocation:
    pairs: dict  # application key → sorted list of newly allocated expert keys
    loads: dict  # expert key → final load


class _Flow:
    """Augmenting paths (BFS) over the bipartite graph; experts' sink capacities can be raised between passes."""

    def __init__(self, needs, eligible):
        self.applications = sorted(needs)
        self.needs = dict(needs)
        self.eligible = {application: sorted(set(eligible.get(application, ()))) for application in self.applications}
        self.sent = dict.fromkeys(self.applications, 0)  # flow source → application
        self.chosen = {application: set() for application in self.applications}  # application → expert flow
        self.by_expert = {}  # expert → applications currently routed to it
        self.into_sink = {}
        self.capacity = {}

    def _augment(self, start):
        """One augmenting path from `start` (an application with spare need) to the sink; True if found."""
        parents = {("a", start): None}
        queue = deque([("a", start)])
        while queue:
            kind, node = queue.popleft()
            if kind == "a":
                for expert in self.eligible[node]:
                    if expert in self.chosen[node] or ("e", expert) in parents:
                        continue
                    parents[("e", expert)] = (kind, node)
                    if self.into_sink.get(expert, 0) < self.capacity.get(expert, 0):
                        self._apply(parents, ("e", expert))
                        return True
                    queue.append(("e", expert))
            else:
                # Residual edge back from an expert to an application already using it: reroute that application.
                for application in sorted(self.by_expert.get(node, ())):
                    if ("a", application) not in parents:
                        parents[("a", application)] = (kind, node)
                        queue.append(("a", application))
        return False

    def _apply(self, parents, end):
        expert = end[1]
        self.into_sink[expert] = self.into_sink.get(expert, 0) + 1
        node = end
        while parents[node] is not None:
            previous = parents[node]
            if previous[0] == "a":  # forward edge application → expert
                application, expert = previous[1], node[1]
                self.chosen[application].add(expert)
                self.by_expert.setdefault(expert, set()).add(application)
            else:  # backward edge: the application gives up this expert
                application, expert = node[1], previous[1]
                self.chosen[application].discard(expert)
                self.by_expert[expert].discard(application)
            node = previous
        self.sent[node[1]] += 1

    def run(self, capacity):
        self.capacity = capacity
        progress = True
        while progress:
            progress = False
            for application in self.applications:
                while self.sent[application] < self.needs[application] and self._augment(application):
                    progress = True
        return sum(self.sent.values())


def _try_band(needs, eligible, loads, lo, hi):
    flow = _Flow(needs, eligible)
    shortfall = {expert: max(lo - load, 0) for expert, load in loads.items()}
    if flow.run(shortfall) < sum(shortfall.values()):
        return None
    if flow.run({expert: max(hi - load, 0) for expert, load in loads.items()}) < sum(needs.values()):
        return None
    return {application: sorted(flow.chosen[application]) for application in flow.applications}


def allocate(*, needs, eligible, loads):
    """New pairs for `needs` (application → count), most even final loads first.

    eligible: application → expert keys that may be newly assigned to it (conflicts already removed);
    loads: expert key → current load, for every panel member that may take work.
    Raises AllocationImpossible naming the first application (in sorted order) without enough eligible experts.
    """
    needs = {application: count for application, count in needs.items() if count > 0}
    for application in sorted(needs):
        available = len(set(eligible.get(application, ())) & set(loads))
        if available < needs[application]:
            raise AllocationImpossible(application, needed=needs[application], available=available)
    eligible = {application: [e for e in eligible.get(application, ()) if e in loads] for application in needs}
    if not needs:
        return Allocation(pairs={}, loads=dict(loads))
    total = sum(loads.values()) + sum(needs.values())
    members = len(loads)
    floor, ceiling = total // members, -(-total // members)
    highest = max(loads.values())
    for spread in range(total + 1):
        top = max(ceiling, highest)
        for lo in range(floor, max(top - spread, 0) - 1, -1):
            hi = lo + spread
            if hi < top:
                break
            pairs = _try_band(needs, eligible, loads, lo, hi)
            if pairs is not None:
                final = dict(loads)
                for experts in pairs.values():
                    for expert in experts:
                        final[expert] += 1
                return Allocation(pairs=pairs, loads=final)
    raise AssertionError("unreachable: the widest band is the unconstrained problem, checked above")
