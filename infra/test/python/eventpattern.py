"""The part of EventBridge's event pattern matching the promotion rule uses, for tests.

A pattern is a tree of objects whose leaves are arrays of allowed values: exact strings or numbers,
or {"prefix": "..."}. A field named in the pattern must be in the event; an array field matches when
any of its elements does. (EventBridge's full grammar has more matchers; none is used here.)
"""

_MISSING = object()


def _leaf_matches(allowed, value):
    values = value if isinstance(value, list) else [value]
    for v in values:
        for a in allowed:
            if isinstance(a, dict):
                if set(a) != {"prefix"}:
                    raise ValueError(f"matcher not supported here: {a}")
                if isinstance(v, str) and v.startswith(a["prefix"]):
                    return True
            elif a == v and not isinstance(v, (dict, list)):
                return True
    return False


def matches(pattern, event):
    for key, rule in pattern.items():
        value = event.get(key, _MISSING) if isinstance(event, dict) else _MISSING
        if value is _MISSING:
            return False
        if isinstance(rule, dict):
            if not isinstance(value, dict) or not matches(rule, value):
                return False
        elif isinstance(rule, list):
            if not _leaf_matches(rule, value):
                return False
        else:
            raise ValueError(f"a pattern leaf must be an array: {key}")
    return True
