"""Wiring by parameter name (cosmicpython's bootstrap), and the kernel ports one context
answers for all.

`bind(services, uow=DjangoStoreUow, clock=DjangoClock, …)` gives every use case of `services`
with the dependencies it names filled in; callers pass only the use case's own arguments.
A dependency is a zero-argument factory, called on every call: a fresh unit of work per use
case, a setting read when it is used (so tests may override it)."""

import inspect
from collections.abc import Callable
from functools import wraps
from types import ModuleType
from typing import Any, TypeVar

from contexts.shared.domain.ports import StoreAccess, StoreDirectory, UserDirectory

Port = TypeVar("Port")


def bind(*modules: ModuleType, **factories: Callable[[], Any]) -> dict[str, Callable[..., Any]]:
    """{name: use case} of every public function defined in `modules` (a package's submodules
    count), each bound to the factories its parameters name."""
    bound = {}
    for module in modules:
        for name, function in vars(module).items():
            home = getattr(function, "__module__", "")
            defined_here = home == module.__name__ or home.startswith(module.__name__ + ".")
            if inspect.isfunction(function) and defined_here and not name.startswith("_"):
                bound[name] = _bound(function, factories)
    return bound


def _bound(function: Callable[..., Any], factories: dict[str, Callable[[], Any]]) -> Callable[..., Any]:
    wanted = {name: factories[name] for name in inspect.signature(function).parameters if name in factories}

    @wraps(function)
    def use_case(**arguments: Any) -> Any:
        return function(**{name: make() for name, make in wanted.items()}, **arguments)

    return use_case


_provided: dict[type, Any] = {}


def provide(port: type[Port], adapter: Port) -> None:
    """The answering context's AppConfig.ready() installs its adapter of a kernel port."""
    _provided[port] = adapter


def _provided_for(port: type[Port]) -> Callable[[], Port]:
    def factory() -> Port:
        try:
            return _provided[port]
        except KeyError:
            raise RuntimeError(f"no adapter provides {port.__name__} (is its context installed?)") from None

    factory.__name__ = f"provided_{port.__name__}"
    return factory


store_access = _provided_for(StoreAccess)
store_directory = _provided_for(StoreDirectory)
user_directory = _provided_for(UserDirectory)
