"""Domain events: a service says what happened, and the apps that care say what they do on it.

A service emits an event (``emit("plan_imported", plan_id=…)``) after its write; each app declares its
handlers in its own ``events.py`` (``@handles("plan_imported")``), which its AppConfig imports at start-up. So
``core`` knows events, not the apps that handle them, and ``carbonpeak events`` prints the whole chain. A
handler that does heavy work enqueues a background job rather than doing it in the request.
"""

from __future__ import annotations

from collections.abc import Callable

#: the events services emit, as the chain prints them
EVENTS = {
    "plan_imported": "方案导入或更新",
}

_handlers: dict[str, list[Callable[..., object]]] = {}


def handles(event: str, title: str) -> Callable[[Callable[..., object]], Callable[..., object]]:
    """Register the decorated function as a handler of ``event`` (once, however often the module loads);
    ``title`` says in the interface's words what it does."""
    if event not in EVENTS:
        raise KeyError(f"unknown event {event!r}")

    def register(handler: Callable[..., object]) -> Callable[..., object]:
        handler.event_title = title  # type: ignore[attr-defined]
        chain = _handlers.setdefault(event, [])
        if all(h.__qualname__ != handler.__qualname__ or h.__module__ != handler.__module__ for h in chain):
            chain.append(handler)
        return handler

    return register


def emit(event: str, **payload: object) -> None:
    """Run every handler of ``event`` in the order the apps registered them."""
    if event not in EVENTS:
        raise KeyError(f"unknown event {event!r}")
    for handler in _handlers.get(event, []):
        handler(**payload)


def chain() -> dict[str, list[str]]:
    """What follows each event, in order (printed by ``carbonpeak events``)."""
    return {EVENTS[event]: [h.event_title for h in _handlers.get(event, [])] for event in EVENTS}
