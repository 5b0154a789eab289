"""Conformance of the hfb-csharp Jupyter kernel, checked by jupyter_kernel_test with jupyter_client as the client.

Run by .ci/checks/kernel.sh after `hfb kernel install`; needs Debian's python3-jupyter-kernel-test.
"""
import os
import unittest

import jupyter_kernel_test


class HfbCSharpKernelTests(jupyter_kernel_test.KernelTests):
    kernel_name = os.environ.get("HFB_KERNEL_NAME", "hfb-csharp")

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The first cell waits for the kernel's background Roslyn warm-up; give it longer than the suite's 15 s
        # per-reply timeout so a loaded CI machine does not fail the first test on start-up cost.
        msg_id = cls.kc.execute("1", silent=True)
        while cls.kc.get_shell_msg(timeout=180)["parent_header"].get("msg_id") != msg_id:
            pass  # a late kernel_info_reply from start-up
    language_name = "csharp"
    file_extension = ".cs"

    code_hello_world = 'Console.WriteLine("hello, world");'
    code_stderr = 'Console.Error.WriteLine("to stderr");'

    completion_samples = [
        {"text": "Console.WriteLi", "matches": {"WriteLine"}},
        {"text": "var zebraCount = 1; zebraC", "matches": {"zebraCount"}},
        {"text": "Math.Sqr", "matches": {"Sqrt"}},
        {"text": "new List<int>().AddR", "matches": {"AddRange"}},
        # .NET Interactive's formatter API, imported into every cell for Polyglot notebooks.
        {"text": "Formatter.Regis", "matches": {"Register"}},
    ]

    complete_code_samples = ["1 + 1", "var x = 1;", "Console.WriteLine(2);", "int F(int v) => v * 2;"]
    incomplete_code_samples = ["for (var i = 0; i < 3; i++) {", "int F(int v) {", "var s = \"\"\"\nraw"]
    invalid_code_samples = ["var x = 1;)", "int = 5;"]

    code_generate_error = 'throw new InvalidOperationException("expected failure");'

    code_execute_result = [
        {"code": "6*7", "result": "42"},
        {"code": '"a" + "b"', "result": "ab"},
        {"code": "new[] { 1, 2, 3 }.Sum()", "result": "6"},
        {"code": "1.5 * 2", "result": "3"},
        {"code": "true", "result": "true"},
        {"code": 'Html("<b>x</b>")', "mime": "text/html", "result": "<b>x</b>"},
    ]

    code_display_data = [
        {"code": 'display(Html("<b>bold</b>"));', "mime": "text/html"},
        # An SVG output is published as HTML (the SVG inline) + PNG so that it survives nbconvert exports (docs/kernel.md).
        {"code": 'display(Svg("<svg xmlns=\\"http://www.w3.org/2000/svg\\" width=\\"4\\" height=\\"4\\"/>"));', "mime": "text/html"},
        {"code": 'display(Markdown("# title"));', "mime": "text/markdown"},
        {"code": 'display(Png(new byte[] { 137, 80, 78, 71 }));', "mime": "image/png"},
        {"code": 'display(Json("{\\"a\\": [1, 2]}"));', "mime": "application/json"},
        {"code": "display(new List<int> { 1, 2, 3 });", "mime": "text/html"},
    ]

    # history_request: this session's cells (tail, range, search); the pattern matches one sample's input only.
    code_history_pattern = "new*Sum()"
    supported_history_operations = ("tail", "range", "search")

    code_inspect_sample = "Console"

    code_clear_output = 'clear_output();'


if __name__ == "__main__":
    unittest.main()
