using System.Text.Json.Nodes;
using HarmoniousFeedback.Kernel.Polyglot;
using HarmoniousFeedback.Kernel.Tests.Integration;
using Xunit;

namespace HarmoniousFeedback.Kernel.Tests.Polyglot;

/// <summary>
/// The representative notebooks in <c>PolyglotNotebooks/</c> — written as Polyglot Notebooks / .NET Interactive saves
/// them (kernelspec <c>.net-csharp</c>, <c>polyglot_notebook</c> metadata, <c>#!csharp</c> cells, magic commands,
/// <c>#r "nuget: …"</c>, display handles, formatters) and one <c>.dib</c> file — run unchanged, cell by cell, in a
/// kernel process. Each code cell's <c>metadata.hfb_expect</c> says what it must show (the CI runs the same notebooks
/// through nbclient, where <c>raises-exception</c> tags mark the cells that must fail).
/// </summary>
public sealed class PolyglotNotebookTests
{
    private static string NotebookPath(string file) => Path.Combine(AppContext.BaseDirectory, "PolyglotNotebooks", file);

    [ZmqTheory]
    [InlineData("01-magics-and-display.ipynb")]
    [InlineData("02-nuget-and-references.ipynb")]
    [InlineData("04-other-kernels-idioms.ipynb")]
    public void Polyglot_notebook_runs_unchanged_and_shows_what_each_cell_expects(string file)
    {
        var notebook = JsonNode.Parse(File.ReadAllText(NotebookPath(file)))!;
        Assert.Equal(".net-csharp", notebook["metadata"]!["kernelspec"]!["name"]!.GetValue<string>());
        using var process = new KernelProcess();
        using var client = new KernelClient(process.Connection);
        client.WaitForReady(timeoutSeconds: 120);
        var cells = notebook["cells"]!.AsArray().Where(c => c!["cell_type"]!.GetValue<string>() == "code").ToList();
        Assert.NotEmpty(cells);
        foreach (var (cell, index) in cells.Select((c, i) => (c!, i + 1)))
        {
            var code = string.Concat(cell["source"]!.AsArray().Select(l => l!.GetValue<string>()));
            var run = client.Execute(code, timeoutSeconds: 600); // NuGet restores may download
            var expect = cell["metadata"]?["hfb_expect"] as JsonObject ?? new JsonObject();
            var where = $"{file} code cell {index}: {code.Split('\n')[0]}";
            if (expect["error"]?.GetValue<string>() is { } ename)
            {
                Assert.True(run.Status == "error", $"{where}: expected {ename}, got {run.Status}");
                Assert.Equal(ename, run.Reply.Content["ename"]!.GetValue<string>());
                if (expect["error_contains"]?.GetValue<string>() is { } part)
                    Assert.True(run.Reply.Content["evalue"]!.GetValue<string>().Contains(part, StringComparison.Ordinal), $"{where}: {run.Reply.Content["evalue"]}");
                continue;
            }
            Assert.True(run.Status == "ok", $"{where}: {run.Reply.Content.ToJsonString()}");
            Check(run, expect, where);
        }
    }

    [ZmqFact]
    public void Dib_file_converts_to_a_notebook_that_runs_with_its_sections_in_order()
    {
        var notebook = DibNotebook.ToIpynb(File.ReadAllText(NotebookPath("03-polyglot-file.dib")));
        var cells = notebook["cells"]!.AsArray();
        Assert.Equal(["markdown", "code", "markdown", "code"], cells.Select(c => c!["cell_type"]!.GetValue<string>()));
        Assert.Equal("csharp", notebook["metadata"]!["polyglot_notebook"]!["kernelInfo"]!["defaultKernelName"]!.GetValue<string>());
        using var process = new KernelProcess();
        using var client = new KernelClient(process.Connection);
        client.WaitForReady(timeoutSeconds: 120);
        var results = cells.Where(c => c!["cell_type"]!.GetValue<string>() == "code")
            .Select(c => client.Execute(string.Concat(c!["source"]!.AsArray().Select(l => l!.GetValue<string>())), timeoutSeconds: 120)).ToList();
        Assert.All(results, r => Assert.Equal("ok", r.Status));
        Assert.Equal("C D E F G A B", results[0].ResultText);
        Assert.Equal("7:B", results[1].ResultText);
        Assert.Contains(results[1].Iopub, m => m.MessageType == "display_data" && m.Content["data"]!["text/plain"]!.GetValue<string>().StartsWith("Wall time: ", StringComparison.Ordinal));
    }

    private static void Check(KernelClient.Execution run, JsonObject expect, string where)
    {
        var displays = run.Iopub.Where(m => m.MessageType == "display_data").Select(m => m.Content["data"]!.AsObject()).ToList();
        var result = run.Iopub.FirstOrDefault(m => m.MessageType == "execute_result")?.Content["data"]?.AsObject();
        foreach (var (key, value) in expect)
        {
            var wanted = value!;
            switch (key)
            {
                case "stdout":
                    Assert.True(run.Stdout == wanted.GetValue<string>(), $"{where}: stdout {run.Stdout}");
                    break;
                case "stdout_contains":
                    Assert.True(run.Stdout.Contains(wanted.GetValue<string>(), StringComparison.Ordinal), $"{where}: stdout {run.Stdout}");
                    break;
                case "text/plain":
                    Assert.True(run.ResultText == wanted.GetValue<string>(), $"{where}: result {run.ResultText}");
                    break;
                case "display_plain_prefix":
                    Assert.True(displays.Any(d => d["text/plain"]!.GetValue<string>().StartsWith(wanted.GetValue<string>(), StringComparison.Ordinal)), $"{where}: displays {string.Join(" | ", displays.Select(d => d.ToJsonString()))}");
                    break;
                case "display_mime":
                    Assert.True(displays.Any(d => d.ContainsKey(wanted.GetValue<string>())), $"{where}: no display with {wanted}");
                    break;
                case "display_contains":
                    Assert.True(displays.Any(d => d["text/plain"]!.GetValue<string>().Contains(wanted.GetValue<string>(), StringComparison.Ordinal)), $"{where}: no display containing {wanted}");
                    break;
                case "update_plain":
                    var updates = run.Iopub.Where(m => m.MessageType == "update_display_data").ToList();
                    Assert.True(updates.Count > 0, $"{where}: no update_display_data");
                    Assert.Equal(wanted.GetValue<string>(), updates[^1].Content["data"]!["text/plain"]!.GetValue<string>());
                    var id = updates[^1].Content["transient"]!["display_id"]!.GetValue<string>();
                    Assert.Contains(run.Iopub, m => m.MessageType == "display_data" && m.Content["transient"]?["display_id"]?.GetValue<string>() == id);
                    break;
                case "result_mime":
                    foreach (var mime in wanted.AsArray()) Assert.True(result?.ContainsKey(mime!.GetValue<string>()) == true, $"{where}: result lacks {mime}");
                    break;
                case "result_html":
                    Assert.Equal(wanted.GetValue<string>(), result?["text/html"]?.GetValue<string>());
                    break;
                default:
                    Assert.Fail($"{where}: unknown expectation '{key}'");
                    break;
            }
        }
    }
}
