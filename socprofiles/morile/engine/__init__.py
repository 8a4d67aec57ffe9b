"""The MoRiLE scoring engine: pure Python and NumPy, no Django (DESIGN habit 5).

Models are data (YAML), validated on load. A model names its factors, each factor's
allowed values and their labels, groups of factors, the outputs computed from them in
order (sums, products and a grading table), and the output to rank by. Every score keeps
the model's identity (name@version) and its inputs, so it can be explained.
"""

from .model import (
    Factor,
    Grading,
    Level,
    Model,
    ModelError,
    Output,
    Score,
    ValueNotOnScale,
    load_model,
    parse_model,
)
from .registry import default_models, get_model

__all__ = [
    "Factor",
    "Grading",
    "Level",
    "Model",
    "ModelError",
    "Output",
    "Score",
    "ValueNotOnScale",
    "default_models",
    "get_model",
    "load_model",
    "parse_model",
]
