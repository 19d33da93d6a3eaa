"""Models from elsewhere run no code: nothing a model folder holds makes loading it import a module or unpickle
anything, and the transformer backend never lets transformers run a folder's own code (trust_remote_code)."""

import ast
import copy
import json
import pickle
import shutil
import sys
from pathlib import Path

import pytest

from pipeline.errors import ParadoxError
from pipeline.model import load_model

ROOT = Path(__file__).resolve().parent.parent


class Reduce:
    """An object whose unpickling would run code: it creates the marker file."""

    def __init__(self, marker):
        self.marker = str(marker)

    def __reduce__(self):
        return (exec, (f"open({self.marker!r}, 'w').write('unpickled')",))


@pytest.fixture
def trap(tmp_path, monkeypatch):
    """A module named ``evilmod`` on the import path that leaves a marker when imported; pickle loading made to
    fail loudly. Returns the marker file, which must never exist."""
    lib = tmp_path / "lib"
    lib.mkdir()
    marker = tmp_path / "MARKER"
    (lib / "evilmod.py").write_text(f"open({str(marker)!r}, 'w').write('imported')\nclass Model: pass\n"
                                    f"def run(*a, **k): pass\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(lib))
    sys.modules.pop("evilmod", None)

    def no_pickles(*a, **k):
        raise AssertionError("a model folder was unpickled")

    monkeypatch.setattr(pickle, "load", no_pickles)
    monkeypatch.setattr(pickle, "loads", no_pickles)
    yield marker
    assert "evilmod" not in sys.modules


def _folder(tiny_model_dir, tmp_path, name, edit=None):
    dest = tmp_path / name
    shutil.copytree(tiny_model_dir, dest)
    if edit:
        cfg = json.loads((dest / "config.json").read_text(encoding="utf-8"))
        edit(cfg)
        (dest / "config.json").write_text(json.dumps(cfg), encoding="utf-8")
    return dest


def _set(path, value):
    def edit(cfg):
        node = cfg
        for k in path[:-1]:
            node = node.setdefault(k, {})
        node[path[-1]] = value
    return edit


HOSTILE = {  # a field of config.json naming a module, a class or a callable
    "backend a module": _set(["backend"], "evilmod"),
    "backend a dotted class": _set(["backend"], "evilmod.Model"),
    "backend a relative module": _set(["backend"], "..evilmod"),
    "backend linear, features a module": lambda c: (c.update(backend="linear"),
                                                    c["model"]["settings"].update(features="evilmod")),
    "features a module": _set(["model", "settings", "features"], "evilmod"),
    "a module and a class beside the backend": lambda c: c.update(module="evilmod", cls="Model",
                                                                  **{"class": "evilmod.Model"}),
    "the encoder a module": _set(["model", "encoder"], "evilmod"),
    "the base model a module": _set(["model", "base_model"], "evilmod:run"),
    "an auto_map": _set(["auto_map"], {"AutoModel": "evilmod.Model"}),
}


def test_the_trap_springs(trap):
    """The trap of these tests works: importing the module, or unpickling the payload, leaves the marker."""
    import evilmod  # noqa: F401

    assert trap.read_text() == "imported"
    sys.modules.pop("evilmod")
    trap.unlink()
    exec(*Reduce(trap).__reduce__()[1])
    assert trap.read_text() == "unpickled"


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_a_config_never_makes_the_loader_import_a_module(case, trap, tiny_model_dir, tmp_path):
    folder = _folder(tiny_model_dir, tmp_path, "m", HOSTILE[case])
    try:
        load_model(folder)
    except (ParadoxError, ValueError, KeyError, TypeError):
        pass  # refusing is fine; running code is not
    assert not trap.exists(), f"{case}: loading imported evilmod"


def test_a_pickle_in_a_model_folder_is_never_loaded(trap, tiny_model_dir, tmp_path):
    folder = _folder(tiny_model_dir, tmp_path, "m")
    payload = pickle.dumps(Reduce(trap))
    for name in ("model.pkl", "weights.pkl", "pytorch_model.bin", "model.joblib"):
        (folder / name).write_bytes(payload)
    load_model(folder)  # the pickles beside the arrays are never read
    (folder / "weights.safetensors").write_bytes(payload)  # arrays that are a pickle: refused, not unpickled
    with pytest.raises(Exception) as e:
        load_model(folder)
    assert not isinstance(e.value, AssertionError) and not trap.exists()
    (folder / "vocab.json").write_bytes(payload)
    with pytest.raises(Exception) as e:
        load_model(folder)
    assert not isinstance(e.value, AssertionError) and not trap.exists()


def test_the_backend_table_is_the_only_way_from_a_name_to_code():
    """Every ``import_module`` in the package takes a module named in the code (the backend table's rows, a
    format's name checked against its table), never a string read from a file."""
    calls = []
    for path in (ROOT / "pipeline").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) in (
                    "import_module", "__import__"):
                calls.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert sorted(c.split(":")[0] for c in calls) == ["pipeline/exchange/__init__.py", "pipeline/model/__init__.py"], \
        calls


def test_transformers_are_never_asked_to_trust_remote_code():
    """Every from_pretrained call in the package passes trust_remote_code=False (and none passes True)."""
    found = []
    for path in (ROOT / "pipeline").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        kw_dicts = {}  # name -> the dict literal assigned to it (kw = {"trust_remote_code": False, ...})
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Dict):
                for t in node.targets:
                    if isinstance(t, ast.Name):
                        kw_dicts[t.id] = {k.value: v for k, v in zip(node.value.keys, node.value.values)
                                          if isinstance(k, ast.Constant)}
            if isinstance(node, ast.keyword) and node.arg == "trust_remote_code":
                assert isinstance(node.value, ast.Constant) and node.value.value is False, \
                    f"{path}:{node.value.lineno}: trust_remote_code is not False"
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "from_pretrained":
                given = {k.arg: k.value for k in node.keywords if k.arg}
                for k in node.keywords:
                    if k.arg is None and isinstance(k.value, ast.Name):
                        given.update(kw_dicts.get(k.value.id, {}))
                trc = given.get("trust_remote_code")
                assert isinstance(trc, ast.Constant) and trc.value is False, \
                    f"{path.relative_to(ROOT)}:{node.lineno}: from_pretrained without trust_remote_code=False"
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert len(found) >= 4, found  # the base encoder and the saved one, each a tokenizer and a model


@pytest.mark.slow
def test_a_transformer_folder_with_remote_code_and_pickles_runs_neither(trap, tmp_path, monkeypatch):
    """An encoder folder whose config maps to its own code (auto_map) and whose weights are a pickle: loading
    fails with a message, imports nothing and unpickles nothing; transformers were told not to trust it."""
    pytest.importorskip("transformers")
    import transformers

    folder = tmp_path / "tm"
    enc = folder / "encoder"
    enc.mkdir(parents=True)
    (folder / "config.json").write_text(json.dumps({
        "format": 1, "backend": "transformer", "labels": _labels(),
        "model": {"settings": {"base_model": "evilmod"}, "encoder": "encoder"}}), encoding="utf-8")
    (enc / "config.json").write_text(json.dumps({
        "model_type": "bert", "architectures": ["EvilModel"],
        "auto_map": {"AutoModel": "evilmod.Model", "AutoConfig": "evilmod.Model",
                     "AutoTokenizer": ["evilmod.Model", None]}}), encoding="utf-8")
    (enc / "tokenizer_config.json").write_text(json.dumps({"auto_map": {"AutoTokenizer": ["evilmod.Model", None]}}),
                                               encoding="utf-8")
    (enc / "pytorch_model.bin").write_bytes(pickle.dumps(Reduce(trap)))
    asked = []
    for auto in (transformers.AutoModel, transformers.AutoTokenizer):
        real = auto.from_pretrained

        def spy(*a, _real=real, **k):
            asked.append(k.get("trust_remote_code"))
            return _real(*a, **k)

        monkeypatch.setattr(auto, "from_pretrained", spy)
    with pytest.raises(Exception) as e:
        load_model(folder)
    assert not isinstance(e.value, AssertionError), e.value
    assert not trap.exists() and asked and all(x is False for x in asked)


def _labels():
    from pipeline.labels import TABLE

    return copy.deepcopy(TABLE.lists())
