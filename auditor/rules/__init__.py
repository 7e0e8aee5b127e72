"""The rule catalogue: typed rules (`model`), loading and linting (`loader`),
the meaning of evidence conditions (`matcher`) and rules' own examples (`examples`)."""

from .loader import Catalogue, load_catalogue, read_catalogue
from .model import Rule
from .parse import Problem

__all__ = ["Catalogue", "Problem", "Rule", "load_catalogue", "read_catalogue"]
