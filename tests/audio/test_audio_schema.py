"""`roadie analyze` output against the JSON Schemas in docs/schemas (Spotify's shapes)."""
import json
import os
import subprocess
import tempfile

import jsonschema
import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.environ.get("ROADIE_BIN", os.path.join(ROOT, "build", "roadie"))
SCHEMAS = {name: json.load(open(os.path.join(ROOT, "docs", "schemas", f"audio-{name}.schema.json")))
           for name in ("features", "analysis")}

# One row per input: sox arguments that synthesise it.
INPUTS = [
    ("sine-mono-8k.wav", "-r 8000 -c 1 -n {out} synth 3 sine 440"),
    ("noise-stereo-96k.flac", "-r 96000 -c 2 -n {out} synth 4 pinknoise vol 0.3"),
    ("silence.wav", "-r 44100 -c 2 -n {out} trim 0 2"),
    ("short.ogg", "-r 44100 -c 2 -n {out} synth 0.5 sine 220"),
    ("chord-beats.wav", "-r 44100 -c 2 -n {out} synth 8 pluck 220 pluck 277 pluck 330 tremolo 2 90"),
]


def analyze(path):
    out = subprocess.run([BIN, "analyze", "--analysis", path], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


@pytest.fixture(scope="module")
def tmp():
    with tempfile.TemporaryDirectory() as d:
        yield d


@pytest.mark.parametrize("name,sox", INPUTS, ids=[i[0] for i in INPUTS])
def test_output_matches_schemas(tmp, name, sox):
    path = os.path.join(tmp, name)
    subprocess.run(["sox"] + sox.format(out=path).split(), check=True, capture_output=True)
    doc = analyze(path)
    jsonschema.validate(doc["audio_features"], SCHEMAS["features"])
    jsonschema.validate(doc["audio_analysis"], SCHEMAS["analysis"])
    f, a = doc["audio_features"], doc["audio_analysis"]
    assert f["uri"] == "roadie:track:" + f["id"]
    assert f["track_href"].endswith("/v1/tracks/" + f["id"])
    assert abs(a["track"]["duration"] * 1000 - f["duration_ms"]) <= 1


@pytest.mark.parametrize("edit", ["drop tempo", "extra field", "key 12", "type", "energy 1.5"])
def test_schemas_refuse_wrong_shapes(tmp, edit):
    path = os.path.join(tmp, "x.wav")
    subprocess.run(["sox", "-r", "22050", "-n", path, "synth", "2", "sine", "330"], check=True)
    f = analyze(path)["audio_features"]
    if edit == "drop tempo":
        del f["tempo"]
    elif edit == "extra field":
        f["popularity"] = 1
    elif edit == "key 12":
        f["key"] = 12
    elif edit == "type":
        f["type"] = "track"
    else:
        f["energy"] = 1.5
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(f, SCHEMAS["features"])


def test_several_files_and_errors(tmp):
    good = os.path.join(tmp, "g.wav")
    subprocess.run(["sox", "-r", "22050", "-n", good, "synth", "2", "sine", "330"], check=True)
    bad = os.path.join(tmp, "bad.mp3")
    open(bad, "wb").write(b"not really an mp3 file")
    r = subprocess.run([BIN, "analyze", good, bad, good], capture_output=True, text=True)
    assert r.returncode == 1
    arr = json.loads(r.stdout)
    assert [("error" in x) for x in arr] == [False, True, False]
    assert arr[1]["file"] == bad and arr[1]["error"]["message"]
    lines = subprocess.run([BIN, "analyze", "--json-lines", good, good], capture_output=True, text=True, check=True)
    assert [json.loads(x)["id"] for x in lines.stdout.splitlines()] == [arr[0]["id"]] * 2
    usage = subprocess.run([BIN, "analyze"], capture_output=True, text=True)
    assert usage.returncode == 2
