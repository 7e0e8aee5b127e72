"""YAML loading that remembers where each mapping and key came from.

Lint messages and configuration errors must name ``FILE:LINE``; PyYAML drops
positions once it builds Python objects, so mappings are built as `LineDict`
carrying the line of the mapping and of each key. Duplicate keys, which PyYAML
would silently let the last one win, are errors here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .errors import ConfigError


class LineDict(dict):
    """A dict that knows the 1-based line of itself and of each of its keys."""

    line: int = 0
    key_lines: dict

    def line_of(self, key: str) -> int:
        """The line of ``key`` if present, else the mapping's own line."""
        return self.key_lines.get(key, self.line)


class LineList(list):
    """A list that knows its line and the line of each item."""

    line: int = 0
    item_lines: list


class _Loader(yaml.SafeLoader):
    pass


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    result = LineDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, (str, int, float, bool)) and key is not None:
            raise ConfigError("mapping keys must be plain scalars", f"{loader.name}:{key_node.start_mark.line + 1}")
        if key in result:
            raise ConfigError(f"duplicate key '{key}'", f"{loader.name}:{key_node.start_mark.line + 1}")
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = key_node.start_mark.line + 1
    return result


def _construct_sequence(loader: _Loader, node: yaml.SequenceNode) -> LineList:
    result = LineList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
    return result


def _construct_timestamp(loader: _Loader, node: yaml.ScalarNode) -> object:
    # PyYAML raises a bare ValueError on an impossible date (2019-02-30); keep the
    # text instead, so the validator of that key reports it with its FILE:LINE.
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError:
        return loader.construct_scalar(node)


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


def load_yaml(path: str | Path) -> Any:
    """Load one YAML file; any failure becomes a one-line `ConfigError` naming FILE:LINE."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError("file not found", str(path)) from None
    except UnicodeDecodeError:
        raise ConfigError("not UTF-8 text", str(path)) from None
    except OSError as exc:
        raise ConfigError(exc.strerror or "cannot be read", str(path)) from None
    loader = _Loader(text)
    loader.name = str(path)
    try:
        return loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        problem = (exc.problem or exc.context or "invalid YAML").strip()
        raise ConfigError(f"YAML syntax error: {problem}", f"{path}:{line}") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"YAML error: {str(exc).splitlines()[0]}", str(path)) from None
    finally:
        loader.dispose()
