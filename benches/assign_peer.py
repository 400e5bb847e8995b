"""Peer solver for the frequency assignment benchmark (benches/assign_e2e.sh):
Google OR-tools CP-SAT on the CELAR (original format) and RLFAP (decision)
instances, so that `spectra assign ...` can be compared against it in the
same run.

Usage:
  python3 assign_peer.py celar DIR [--criterion {auto,feasibility,min-order,min-span,min-cost}]
                                   --time-limit-s T [--workers 1]
  python3 assign_peer.py rlfap DIR NAME --time-limit-s T [--workers 1]

CELAR: DIR holds var.txt, dom.txt, ctr.txt and cst.txt (see the data's
README.md). `auto` reads the objective from cst.txt: soft constraints present
-> min-cost; "largest" / "plus grande" -> min-span; "number ... values" /
"nombre" -> min-order; otherwise a fallback table of the five scen names.
RLFAP: DIR holds var/varNAME.txt, dom/domNAME.txt, ctr/ctrNAME.txt, each
starting with a count line; the criterion is feasibility (all hard).

Model: one IntVar per variable over its domain; `|x-y| > k` as a Boolean
choice of side with two enforced inequalities, `|x-y| = k` likewise with two
enforced equalities; min-order: per (variable, value) literals implying
used[value], minimise the sum; min-span: minimise an upper bound of every
value; min-cost: one violation literal per soft constraint (and per mobile
variable), minimise the weighted sum; hard constraints stay hard. One search
worker by default (our solver is single-threaded), random_seed 0.

The assignment found is checked here against every domain and hard constraint
and its objective recomputed; a failed check exits 2. Output: exactly one JSON
line {"solver","version","instance","criterion","status","objective","bound",
"seconds"}; status optimal|feasible|infeasible|unknown (a feasibility
instance that is solved reports "feasible"); seconds = wall time from reading
the files to the end of the search. Exit 0 on any answer (including
infeasible or time limit), 2 on a parse error, a model error or a failed check.
"""
import argparse
import json
import math
import os
import re
import sys
import time

CRITERIA = ("feasibility", "min-order", "min-span", "min-cost")
# Used when cst.txt's wording cannot be mapped (see the data's README.md).
FALLBACK = {"scen01": "min-order", "scen02": "min-order", "scen05": "min-span",
            "scen06": "min-cost", "scen11": "min-order"}
DEFAULT_COSTS = {"a1": 1000, "a2": 100, "a3": 10, "a4": 1, "b1": 0, "b2": 0, "b3": 0, "b4": 0}


class ParseError(Exception):
    pass


def fail(msg):
    print(f"assign_peer: error: {msg}", file=sys.stderr)
    sys.exit(2)


def read_rows(path, counted=False):
    """Non-blank lines as (line number, fields); drops a leading count line when counted."""
    try:
        with open(path, encoding="ascii", errors="strict") as fh:
            text = fh.read()
    except (OSError, UnicodeDecodeError) as e:
        raise ParseError(f"{path}: cannot read: {e}")
    rows = [(i, line.split()) for i, line in enumerate(text.splitlines(), 1) if line.strip()]
    if counted:
        if not rows:
            raise ParseError(f"{path}: empty file, expected a count line")
        ln, f = rows[0]
        if len(f) != 1 or not f[0].isdigit():
            raise ParseError(f"{path}:{ln}: expected a count line, found {' '.join(f)!r}")
        rows = rows[1:]
        if int(f[0]) != len(rows):
            raise ParseError(f"{path}:{ln}: count line says {f[0]}, the file has {len(rows)} rows")
    return rows


def ints(path, ln, fields):
    try:
        return [int(x) for x in fields]
    except ValueError:
        raise ParseError(f"{path}:{ln}: expected integers, found {' '.join(fields)!r}")


def parse_domains(path, counted):
    doms = {}
    for ln, f in read_rows(path, counted):
        v = ints(path, ln, f)
        if len(v) < 2 or v[1] != len(v) - 2:
            raise ParseError(f"{path}:{ln}: expected 'id cardinality v1..vn' with n = cardinality")
        if v[0] in doms:
            raise ParseError(f"{path}:{ln}: domain {v[0]} defined twice")
        if v[1] == 0:
            raise ParseError(f"{path}:{ln}: empty domain {v[0]}")
        doms[v[0]] = sorted(set(v[2:]))
    return doms


def parse_variables(path, counted, doms, dom_path):
    vars_ = {}  # id -> (domain values, initial value or None, mobility or None)
    for ln, f in read_rows(path, counted):
        v = ints(path, ln, f)
        if len(v) not in (2, 4):
            raise ParseError(f"{path}:{ln}: expected 'id domain [initial mobility]'")
        if v[0] in vars_:
            raise ParseError(f"{path}:{ln}: variable {v[0]} defined twice")
        if v[1] not in doms:
            raise ParseError(f"{path}:{ln}: domain {v[1]} not in {dom_path}")
        init = mob = None
        if len(v) == 4:
            init, mob = v[2], v[3]
            if not 0 <= mob <= 4:
                raise ParseError(f"{path}:{ln}: mobility {mob} not in 0..4")
            if mob == 0 and init not in doms[v[1]]:
                raise ParseError(f"{path}:{ln}: fixed value {init} not in domain {v[1]}")
        vars_[v[0]] = (doms[v[1]], init, mob)
    if not vars_:
        raise ParseError(f"{path}: no variables")
    return vars_


def parse_constraints(path, counted, vars_, with_type):
    """Rows `x y [type] op k [weight]` -> list of (x, y, op, k, weight)."""
    out = []
    for ln, f in read_rows(path, counted):
        if with_type:
            if len(f) not in (5, 6):
                raise ParseError(f"{path}:{ln}: expected 'x y type op k [weight]'")
            f = f[:2] + f[3:]
        elif len(f) not in (4, 5):
            raise ParseError(f"{path}:{ln}: expected 'x y op k [weight]'")
        x, y = ints(path, ln, f[:2])
        op = f[2]
        if op not in (">", "="):
            raise ParseError(f"{path}:{ln}: operator {op!r}, expected '>' or '='")
        k = ints(path, ln, f[3:4])[0]
        w = ints(path, ln, f[4:5])[0] if len(f) == 5 else 0
        if not 0 <= w <= 4:
            raise ParseError(f"{path}:{ln}: weight {w} not in 0..4")
        if k < 0:
            raise ParseError(f"{path}:{ln}: negative distance {k}")
        for z in (x, y):
            if z not in vars_:
                raise ParseError(f"{path}:{ln}: unknown variable {z}")
        if x == y:
            raise ParseError(f"{path}:{ln}: constraint of variable {x} with itself")
        out.append((x, y, op, k, w))
    return out


def celar_criterion(text, has_soft, name):
    low = " ".join(text.lower().split())
    if has_soft:
        return "min-cost"
    if "largest" in low or "plus grande" in low or "maximum value" in low or "span" in low:
        return "min-span"
    if re.search(r"number\s*of\s*(\w+\s+)?values", low) or "nombre" in low or "number" in low:
        return "min-order"
    if name in FALLBACK:
        return FALLBACK[name]
    if re.search(r"\ba[1-4]\s*=", low):
        return "min-cost"
    raise ParseError(f"cst.txt of {name}: cannot tell the criterion; pass --criterion")


def load_celar(d, criterion):
    name = os.path.basename(os.path.normpath(d))
    p = {f: os.path.join(d, f + ".txt") for f in ("var", "dom", "ctr", "cst")}
    doms = parse_domains(p["dom"], False)
    doms.pop(0, None)  # domain 0 is the union, never referenced
    vars_ = parse_variables(p["var"], False, doms, p["dom"])
    ctrs = parse_constraints(p["ctr"], False, vars_, True)
    try:
        with open(p["cst"], encoding="latin-1") as fh:
            cst = fh.read()
    except OSError as e:
        raise ParseError(f"{p['cst']}: cannot read: {e}")
    costs = dict(DEFAULT_COSTS)
    for key, val in re.findall(r"\b([ab][1-4])\s*=\s*(\d+)", cst):
        costs[key] = int(val)
    has_soft = any(c[4] > 0 for c in ctrs) or any(m not in (None, 0) for _, _, m in vars_.values())
    if criterion == "auto":
        criterion = celar_criterion(cst, has_soft, name)
    return name, vars_, ctrs, costs, criterion


def load_rlfap(d, name, criterion):
    def path(kind):
        p = os.path.join(d, kind, f"{kind}{name}.txt")
        return p if os.path.exists(p) else os.path.join(d, f"{kind}{name}.txt")
    doms = parse_domains(path("dom"), True)
    vars_ = parse_variables(path("var"), True, doms, path("dom"))
    ctrs = parse_constraints(path("ctr"), True, vars_, False)
    return name, vars_, ctrs, dict(DEFAULT_COSTS), ("feasibility" if criterion == "auto" else criterion)


def build(vars_, ctrs, costs, criterion):
    from ortools.sat.python import cp_model
    from ortools.util.python.sorted_interval_list import Domain

    m = cp_model.CpModel()
    x = {i: m.NewIntVarFromDomain(Domain.FromValues(dom), f"x{i}") for i, (dom, _, _) in vars_.items()}
    cost_terms = []
    soft = criterion == "min-cost"
    for i, (dom, init, mob) in vars_.items():
        if mob == 0:
            m.Add(x[i] == init)
        elif mob is not None and soft and costs[f"b{mob}"] > 0:
            moved = m.NewBoolVar(f"moved{i}")
            if init in dom:
                m.Add(x[i] == init).OnlyEnforceIf(moved.Not())
            else:
                m.Add(moved == 1)
            cost_terms.append(costs[f"b{mob}"] * moved)
    for n, (a, b, op, k, w) in enumerate(ctrs):
        enf = []
        if w > 0 and soft:
            if costs[f"a{w}"] == 0:
                continue  # free to violate
            ok = m.NewBoolVar(f"ok{n}")
            cost_terms.append(costs[f"a{w}"] * ok.Not())
            enf = [ok]
        side = m.NewBoolVar(f"s{n}")
        if op == ">":
            m.Add(x[a] - x[b] >= k + 1).OnlyEnforceIf(enf + [side])
            m.Add(x[b] - x[a] >= k + 1).OnlyEnforceIf(enf + [side.Not()])
        else:
            m.Add(x[a] - x[b] == k).OnlyEnforceIf(enf + [side])
            m.Add(x[b] - x[a] == k).OnlyEnforceIf(enf + [side.Not()])
    if criterion == "min-order":
        values = sorted({v for dom, _, _ in vars_.values() for v in dom})
        used = {v: m.NewBoolVar(f"used{v}") for v in values}
        for i, (dom, _, _) in vars_.items():
            lits = []
            for v in dom:
                lit = m.NewBoolVar(f"x{i}={v}")
                m.Add(x[i] == v).OnlyEnforceIf(lit)
                m.Add(x[i] != v).OnlyEnforceIf(lit.Not())
                m.AddImplication(lit, used[v])
                lits.append(lit)
            m.AddExactlyOne(lits)
        m.Minimize(sum(used.values()))
    elif criterion == "min-span":
        lo = min(dom[0] for dom, _, _ in vars_.values())
        hi = max(dom[-1] for dom, _, _ in vars_.values())
        top = m.NewIntVar(lo, hi, "largest")
        for xi in x.values():
            m.Add(top >= xi)
        m.Minimize(top)
    elif criterion == "min-cost":
        m.Minimize(sum(cost_terms))
    return m, x


def check(vars_, ctrs, costs, criterion, sol):
    """Checks domains and hard constraints; returns the objective of the assignment."""
    for i, (dom, init, mob) in vars_.items():
        if sol[i] not in dom:
            fail(f"check: variable {i} = {sol[i]} outside its domain")
        if mob == 0 and sol[i] != init:
            fail(f"check: fixed variable {i} = {sol[i]}, expected {init}")
    cost = 0
    for a, b, op, k, w in ctrs:
        d = abs(sol[a] - sol[b])
        holds = d > k if op == ">" else d == k
        if holds:
            continue
        if w == 0 or criterion != "min-cost":
            fail(f"check: constraint |x{a} - x{b}| {op} {k} violated ({sol[a]}, {sol[b]})")
        cost += costs[f"a{w}"]
    if criterion == "min-order":
        return len(set(sol.values()))
    if criterion == "min-span":
        return max(sol.values())
    if criterion == "min-cost":
        for i, (_, init, mob) in vars_.items():
            if mob and sol[i] != init:
                cost += costs[f"b{mob}"]
        return cost
    return None


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("format", choices=("celar", "rlfap"))
    ap.add_argument("dir")
    ap.add_argument("name", nargs="?", help="RLFAP instance name (e.g. 2-f24)")
    ap.add_argument("--criterion", choices=("auto",) + CRITERIA, default="auto")
    ap.add_argument("--time-limit-s", type=float, required=True)
    ap.add_argument("--workers", type=int, default=1)
    args = ap.parse_args()
    if not (args.time_limit_s > 0):
        fail("--time-limit-s must be positive")
    if args.workers < 1:
        fail("--workers must be at least 1")
    if (args.format == "rlfap") != (args.name is not None):
        fail("NAME is required for rlfap and not accepted for celar")

    import ortools
    from ortools.sat.python import cp_model

    t0 = time.perf_counter()
    try:
        if args.format == "celar":
            name, vars_, ctrs, costs, crit = load_celar(args.dir, args.criterion)
        else:
            name, vars_, ctrs, costs, crit = load_rlfap(args.dir, args.name, args.criterion)
    except ParseError as e:
        fail(str(e))
    model, x = build(vars_, ctrs, costs, crit)
    solver = cp_model.CpSolver()
    solver.parameters.num_search_workers = args.workers
    solver.parameters.random_seed = 0
    solver.parameters.max_time_in_seconds = args.time_limit_s
    st = solver.Solve(model)
    seconds = time.perf_counter() - t0

    if st == cp_model.MODEL_INVALID:
        fail(f"CP-SAT: invalid model: {model.Validate()}")
    optimise = crit != "feasibility"
    objective = bound = None
    if st in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        sol = {i: solver.Value(v) for i, v in x.items()}
        objective = check(vars_, ctrs, costs, crit, sol)
        if optimise:
            reported = round(solver.ObjectiveValue())
            # min-order's used[v] may be set for an unused value in a non-optimal solution
            if objective > reported or (st == cp_model.OPTIMAL and objective != reported):
                fail(f"check: recomputed objective {objective}, CP-SAT reported {reported}")
        status = "optimal" if (st == cp_model.OPTIMAL and optimise) else "feasible"
    elif st == cp_model.INFEASIBLE:
        status = "infeasible"
    else:
        status = "unknown"
    if optimise and status in ("optimal", "feasible", "unknown"):
        b = float(solver.BestObjectiveBound())
        bound = (int(b) if b.is_integer() else b) if math.isfinite(b) else None
        if objective is not None and bound is not None and bound > objective:
            fail(f"check: objective {objective} below the proved bound {bound}")
    print(json.dumps({"solver": "cp-sat", "version": ortools.__version__, "instance": name,
                      "criterion": crit, "status": status, "objective": objective,
                      "bound": bound, "seconds": round(seconds, 3)}))


if __name__ == "__main__":
    main()
