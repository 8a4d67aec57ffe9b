"""The models shipped with the platform (socprofiles/morile/models/*.yaml)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from .model import Model, load_model

MODELS_DIR = Path(__file__).resolve().parent.parent / "models"


@cache
def default_models() -> dict[str, Model]:
    """Every shipped model, by name@version and by name (its latest version)."""
    models: dict[str, Model] = {}
    for path in sorted(MODELS_DIR.glob("*.yaml")):
        model = load_model(path)
        models[model.id] = model
        latest = models.get(model.name)
        if latest is None or latest.version < model.version:
            models[model.name] = model
    return models


def get_model(name: str) -> Model:
    """By name ("thematic": the latest version) or by id ("thematic@1")."""
    models = default_models()
    if name not in models:
        known = sorted(k for k in models if "@" in k)
        raise KeyError(f"There is no MoRiLE model {name!r}; the models are: {', '.join(known)}.")
    return models[name]
