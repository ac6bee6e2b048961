"""``mltcourse search``: its JSON, its plain listing, and what it makes of hostile input."""

from __future__ import annotations

import json

from apptest import course_copy
from mltcourse.cli import main
from mltcourse.safetext import first_control
from mltcourse.store.course_cache import search_index_path


def search(capsys, root, data, *args):
    code = main(["--content", str(root), "--data-dir", str(data), "search", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_json_has_the_query_and_results_of_each_kind(tmp_path, capsys):
    root, data = course_copy(tmp_path), tmp_path / "data"
    code, out, _ = search(capsys, root, data, "humanitarian", "--json")
    report = json.loads(out)
    assert code == 0 and set(report) == {"query", "results"}
    assert report["query"] == "humanitarian"
    kinds = {r["kind"] for r in report["results"]}
    assert kinds == {"lesson", "glossary", "scenario"}
    for result in report["results"]:
        assert {"kind", "ref", "title", "snippet"} <= set(result)
        assert all(isinstance(result[key], str) for key in ("kind", "ref", "title", "snippet"))
    assert search_index_path(root, data / "cache").is_file()  # built once, then reused


def test_several_words_are_one_query_and_limit_bounds_it(tmp_path, capsys):
    root, data = course_copy(tmp_path), tmp_path / "data"
    _, out, _ = search(capsys, root, data, "host", "government", "--json", "--limit", "1")
    (result,) = json.loads(out)["results"]
    assert result["ref"].startswith("basics#") and json.loads(out)["query"] == "host government"


def test_the_listing_names_title_ref_and_snippet(tmp_path, capsys):
    root, data = course_copy(tmp_path), tmp_path / "data"
    code, out, _ = search(capsys, root, data, "national", "flag")
    assert code == 0
    assert "scenario  The wells offer › The offer" in out and "wells#offer" in out
    code, out, _ = search(capsys, root, data, "zzzzqqq")
    assert code == 0 and "Nothing in the course matches 'zzzzqqq'." in out


def test_fts_syntax_and_control_characters_are_only_text(tmp_path, capsys):
    root, data = course_copy(tmp_path), tmp_path / "data"
    for query in ['"', "NEAR(", "a OR", "\x1b]52;c;x\x07host", "*"]:
        code, out, err = search(capsys, root, data, query, "--json")
        assert code == 0 and err == "", query
        assert first_control(out.replace("\n", "")) is None
        json.loads(out)


def test_a_bad_limit_or_folder_is_a_usage_error(tmp_path, capsys):
    root, data = course_copy(tmp_path), tmp_path / "data"
    code, _, err = search(capsys, root, data, "x", "--limit", "0")
    assert code == 2 and "--limit" in err
    code, _, err = search(capsys, tmp_path / "nowhere", data, "x")
    assert code == 2 and "no course folder" in err
