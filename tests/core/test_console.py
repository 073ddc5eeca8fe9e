"""inference/console.py: one progress line that ends before any message, --json/--quiet, quiet libraries."""
from __future__ import annotations

import argparse
import io
import subprocess
import sys

from inference.console import Console, add_output_flags, end_active_progress, nothing_processed


def test_error_never_lands_on_the_progress_line():
    err = io.StringIO()
    c = Console(stream=err)
    c.progress(0.5, "reading")
    c.error("scan.ply is broken", "open another file")
    lines = err.getvalue().split("\n")
    assert lines[0].startswith("\r[ 50.0%] reading")
    assert lines[1] == "error: scan.ply is broken" and lines[2] == "hint: open another file"


def test_quiet_and_json_draw_no_progress_and_json_goes_to_stdout(capsys):
    for kwargs in ({"quiet": True}, {"json_out": True}):
        err = io.StringIO()
        c = Console(stream=err, **kwargs)
        c.progress(0.3, "x")
        c.note("a note")
        assert "\r" not in err.getvalue()
    c = Console(json_out=True, stream=io.StringIO())
    c.emit_json({"a": 1})
    assert capsys.readouterr().out.strip() == '{\n  "a": 1\n}'


def test_active_console_progress_is_ended_by_the_cli():
    err = io.StringIO()
    c = Console(stream=err)
    c.progress(0.1, "x")
    end_active_progress()
    assert err.getvalue().endswith("\n")
    assert nothing_processed(c, "every file was skipped", "see the notes") == 2
    assert "error: nothing was processed: every file was skipped" in err.getvalue()


def test_flags_are_the_same_everywhere():
    p = argparse.ArgumentParser()
    add_output_flags(p)
    a = p.parse_args(["--json", "-q"])
    assert a.json is True and a.quiet is True
    assert Console.from_args(a).json


def test_library_warnings_are_kept_off_stderr_unless_debug():
    code = ("import warnings, sys\nfrom inference.console import quiet_libraries\n"
            "quiet_libraries(debug=sys.argv[1] == '1')\nwarnings.warn('LIBRARY NOISE', RuntimeWarning)\n")
    quiet = subprocess.run([sys.executable, "-c", code, "0"], capture_output=True, text=True)
    loud = subprocess.run([sys.executable, "-c", code, "1"], capture_output=True, text=True)
    assert "LIBRARY NOISE" not in quiet.stderr
    assert "LIBRARY NOISE" in loud.stderr


def test_cli_error_ends_the_progress_line_and_exits_2(tmp_path):
    """A panel command that fails after drawing progress: the error starts on a line of its own."""
    bad = tmp_path / "bad.ply"
    bad.write_text("ply\nformat ascii 1.0\nelement vertex 2\nend_header\n1 2 3\n")
    r = subprocess.run([sys.executable, "-m", "inference.cli", "pc", "compare", str(bad), str(bad)],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 2
    err_lines = r.stderr.splitlines()
    assert any(line.startswith("error: ") for line in err_lines), r.stderr
    assert not any("\r" in line and "error:" in line for line in r.stderr.split("\n")), r.stderr
    assert "Traceback" not in r.stderr
