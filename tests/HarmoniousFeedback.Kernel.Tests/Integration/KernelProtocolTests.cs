using System.Diagnostics;
using System.Text.Json.Nodes;
using HarmoniousFeedback.Kernel.Protocol;
using Xunit;
using Xunit.Abstractions;

namespace HarmoniousFeedback.Kernel.Tests.Integration;

/// <summary>End-to-end: a real kernel process driven over ZeroMQ with signed Jupyter 5.3 messages.</summary>
[Collection(KernelCollection.Name)]
public sealed class KernelProtocolTests(KernelFixture kernel, ITestOutputHelper output)
{
    private KernelClient Client => kernel.Client;

    /// <summary>An interrupt ends a cell within the kernel's 5 s grace; the margin is for a machine busy with other test
    /// assemblies (dotnet test runs them side by side).</summary>
    private static readonly TimeSpan InterruptReplyTimeout = TimeSpan.FromSeconds(30);

    [ZmqFact]
    public void KernelInfo_describes_CSharp_and_protocol_5_3()
    {
        var reply = Client.Request("kernel_info_request", new JsonObject());
        Assert.Equal("kernel_info_reply", reply.MessageType);
        Assert.Equal("5.3", reply.Content["protocol_version"]!.GetValue<string>());
        Assert.Equal("hfb-kernel", reply.Content["implementation"]!.GetValue<string>());
        var language = reply.Content["language_info"]!;
        Assert.Equal("csharp", language["name"]!.GetValue<string>());
        // What C# notebooks carry and .NET Interactive reported (its CSharpLanguageInfo: text/x-csharp, .cs, csharp).
        Assert.Equal("text/x-csharp", language["mimetype"]!.GetValue<string>());
        Assert.Equal(".cs", language["file_extension"]!.GetValue<string>());
        Assert.Equal("csharp", language["pygments_lexer"]!.GetValue<string>());
        Assert.Equal("csharp", language["codemirror_mode"]!.GetValue<string>());
    }

    [ZmqFact]
    public void Execute_trailing_expression_publishes_result_inside_busy_idle()
    {
        var run = Client.Execute("1+1");
        Assert.Equal("ok", run.Status);
        Assert.Equal("2", run.ResultText);
        var types = run.Types.ToList();
        Assert.Equal("status:busy", types[0]);
        Assert.Equal("status:idle", types[^1]);
        Assert.True(types.IndexOf("execute_input") < types.IndexOf("execute_result"), string.Join(", ", types));
        var count = run.Reply.Content["execution_count"]!.GetValue<int>();
        Assert.Equal(count, run.Iopub.Single(m => m.MessageType == "execute_result").Content["execution_count"]!.GetValue<int>());
        Assert.Equal(count + 1, Client.Execute("2").Reply.Content["execution_count"]!.GetValue<int>());
    }

    [ZmqFact]
    public void Execute_statements_only_has_no_result()
    {
        var run = Client.Execute("var unused = 3;");
        Assert.Equal("ok", run.Status);
        Assert.Null(run.ResultText);
        Assert.Null(Client.Execute("Console.Write(\"\")").ResultText); // void call without semicolon
    }

    [ZmqFact]
    public void Execute_keeps_state_across_cells()
    {
        Assert.Equal("ok", Client.Execute("var stateX = 20; int Twice(int v) => 2 * v; record Point(int X, int Y);").Status);
        Assert.Equal("42", Client.Execute("Twice(stateX) + 2").ResultText);
        Assert.Equal("Point { X = 1, Y = 2 }", Client.Execute("new Point(1, 2)").ResultText);
    }

    [ZmqFact]
    public void Execute_streams_stdout_and_stderr()
    {
        var run = Client.Execute("Console.WriteLine(\"hello, world\"); Console.Error.WriteLine(\"oops\");");
        Assert.Equal("ok", run.Status);
        Assert.Equal("hello, world\n", run.Stdout);
        Assert.Contains(run.Iopub, m => m.MessageType == "stream" && m.Content["name"]!.GetValue<string>() == "stderr" && m.Content["text"]!.GetValue<string>() == "oops\n");
    }

    [ZmqFact]
    public void Execute_runtime_exception_reports_error_and_next_cell_works()
    {
        var run = Client.Execute("var before = 5;\nthrow new InvalidOperationException(\"boom\");");
        Assert.Equal("error", run.Status);
        Assert.Equal("InvalidOperationException", run.Reply.Content["ename"]!.GetValue<string>());
        Assert.Equal("boom", run.Reply.Content["evalue"]!.GetValue<string>());
        var traceback = run.Error!.Content["traceback"]!.AsArray().Select(n => n!.GetValue<string>()).ToList();
        Assert.StartsWith("System.InvalidOperationException: boom", traceback[0]);
        Assert.Contains(traceback, l => l.Contains("line 2", StringComparison.Ordinal));
        Assert.Equal("6", Client.Execute("before + 1").ResultText);
    }

    [ZmqFact]
    public void Execute_error_aborts_executions_already_queued_unless_stop_on_error_is_false()
    {
        // Sent back to back: the second and third are queued on the shell socket while the first compiles and throws.
        var failing = Client.Send("execute_request", new JsonObject { ["code"] = "throw new Exception(\"stop here\");" });
        var queued = Client.Send("execute_request", new JsonObject { ["code"] = "Console.WriteLine(\"must not run\");" });
        var info = Client.Send("kernel_info_request", new JsonObject());
        Assert.Equal("error", Client.Reply(failing, TimeSpan.FromSeconds(30))!.Content["status"]!.GetValue<string>());
        Assert.Equal("aborted", Client.Reply(queued, TimeSpan.FromSeconds(30))!.Content["status"]!.GetValue<string>());
        Assert.Equal("kernel_info_reply", Client.Reply(info, TimeSpan.FromSeconds(30))!.MessageType);
        Assert.DoesNotContain(Client.IopubUntilIdle(queued), m => m.MessageType == "stream");

        var tolerant = Client.Send("execute_request", new JsonObject { ["code"] = "throw new Exception(\"go on\");", ["stop_on_error"] = false });
        var next = Client.Send("execute_request", new JsonObject { ["code"] = "40 + 2" });
        Assert.Equal("error", Client.Reply(tolerant, TimeSpan.FromSeconds(30))!.Content["status"]!.GetValue<string>());
        Assert.Equal("ok", Client.Reply(next, TimeSpan.FromSeconds(30))!.Content["status"]!.GetValue<string>());
        Client.IopubUntilIdle(next);
    }

    [ZmqFact]
    public void Execute_compile_error_reports_line_and_column_and_next_cell_works()
    {
        var run = Client.Execute("var ok = 1;\nvar bad = undefinedName + 1;");
        Assert.Equal("error", run.Status);
        Assert.Equal("CompilationError", run.Reply.Content["ename"]!.GetValue<string>());
        Assert.Equal("(2,11): error CS0103: The name 'undefinedName' does not exist in the current context", run.Reply.Content["evalue"]!.GetValue<string>());
        Assert.NotNull(run.Error);
        Assert.Equal("3", Client.Execute("1 + 2").ResultText);
    }

    [ZmqFact]
    public void Execute_ten_megabytes_of_stdout_completes_and_kernel_stays_alive()
    {
        var watch = Stopwatch.StartNew();
        var run = Client.Execute("var line = new string('x', 99); for (var i = 0; i < 100_000; i++) Console.WriteLine(line);", timeoutSeconds: 60);
        output.WriteLine($"10 MB of stdout: {watch.ElapsedMilliseconds} ms, {run.Iopub.Count(m => m.MessageType == "stream")} stream messages, {run.Stdout.Length} chars received");
        Assert.Equal("ok", run.Status);
        // PUB drops only past its high-water mark; a client that keeps reading sees everything.
        Assert.Equal(100_000 * 100, run.Stdout.Length);
        Assert.True(Client.Heartbeat(TimeSpan.FromSeconds(5)));
        Assert.Equal("ok", Client.Execute("1").Status);
    }

    /// <summary>
    /// Each tight loop the interrupt must end — the loop kinds, goto, exponential recursion in an expression-bodied
    /// method, LINQ over user lambdas, a loop that swallows the interrupt, work spread over other threads — is
    /// interrupted, its threads stop using the CPU, and the next cell runs and shows its output. "Stop using the CPU"
    /// is read per thread (<see cref="ThreadSampler"/>): the threads that carried the spin (those with at least 30 % of
    /// the busiest one's CPU time in a 2 s window before the interrupt; the runtime's tiered-compilation thread, which
    /// re-JITs hot code in the background, is not the cell's) get at most a tenth of that, plus 20 ms (a pool thread
    /// may also run the kernel's 50 ms output-flush timers), in a 2 s window after the reply. A thread still spinning
    /// gets the same share of a core in both windows, however loaded the machine (measured: 0.14–0.47 s per 2 s at a load
    /// average of 71–78 on 2 cores), so the bound holds only if the spin stopped.
    /// </summary>
    [ThreadCpuTheory]
    [InlineData("while (true) { }")]
    [InlineData("for (;;) { }")]
    [InlineData("spin: goto spin;")]
    [InlineData("long Fib(int n) => n < 2 ? n : Fib(n - 1) + Fib(n - 2); Fib(90)")]
    [InlineData("Enumerable.Range(0, int.MaxValue).SelectMany(_ => Enumerable.Range(0, int.MaxValue)).Select(x => x * 2).LongCount()")]
    [InlineData("while (true) { try { while (true) { } } catch (Exception) { } }")]
    [InlineData("Parallel.For(0, 2, _ => { while (true) { } });")]
    [InlineData("Task.Run(() => { while (true) { } }); while (true) { }")]
    public void Interrupt_stops_the_cell_frees_its_cpu_and_the_next_cell_shows_its_output(string code)
    {
        var request = Client.StartCell(code, settleMs: 300);
        var pid = kernel.Process.Id;
        var before = ThreadSampler.CpuDuring(pid, TimeSpan.FromSeconds(2));
        var busiest = before.Where(t => !IsRuntimeJit(t.Value.Name)).Max(t => t.Value.CpuSeconds);
        var spinning = before.Where(t => !IsRuntimeJit(t.Value.Name) && t.Value.CpuSeconds >= Math.Max(0.01, 0.3 * busiest)).Select(t => t.Key).ToList();
        Assert.True(spinning.Count > 0, "no kernel thread used the CPU while the cell spun: " + ThreadSampler.Describe(before));

        var interrupt = Client.Request("interrupt_request", new JsonObject(), control: true, timeoutSeconds: 10);
        Assert.Equal("ok", interrupt.Content["status"]!.GetValue<string>());
        var reply = Client.Reply(request, InterruptReplyTimeout) ?? throw new TimeoutException("the interrupted cell did not reply; kernel log:\n" + kernel.Process.Log);
        Assert.Equal("error", reply.Content["status"]!.GetValue<string>());
        Assert.Equal("CellInterruptedException", reply.Content["ename"]!.GetValue<string>());
        Assert.Contains(Client.IopubUntilIdle(request), m => m.MessageType == "error");

        Thread.Sleep(500); // exception unwinding on the pool threads
        var after = ThreadSampler.CpuDuring(pid, TimeSpan.FromSeconds(2));
        output.WriteLine($"load {File.ReadAllText("/proc/loadavg").Trim()}; CPU in 2 s before the interrupt: {ThreadSampler.Describe(before, spinning)}; after: {ThreadSampler.Describe(after, spinning)}");
        foreach (var tid in spinning.Where(after.ContainsKey))
        {
            Assert.True(after[tid].CpuSeconds <= 0.1 * before[tid].CpuSeconds + 0.02,
                $"thread {tid} '{after[tid].Name}' still uses the CPU after the interrupt: {after[tid].CpuSeconds:0.000} s in 2 s (before: {before[tid].CpuSeconds:0.000} s)");
        }

        var next = Client.Execute("Console.WriteLine(\"after the interrupt\"); 6 * 7");
        Assert.Equal("ok", next.Status);
        Assert.Equal("after the interrupt\n", next.Stdout);
        Assert.Equal("42", next.ResultText);
    }

    private static bool IsRuntimeJit(string threadName) => threadName.StartsWith(".NET Tiered", StringComparison.Ordinal);

    [SigintFact]
    public void Sigint_interrupts_cell_for_signal_mode_front_ends()
    {
        var request = Client.StartCell("while (true) { }");
        using (var kill = Process.Start("kill", ["-INT", kernel.Process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])) kill.WaitForExit();
        var reply = Client.Reply(request, InterruptReplyTimeout) ?? throw new TimeoutException("SIGINT did not interrupt the cell; kernel log:\n" + kernel.Process.Log);
        Assert.Equal("CellInterruptedException", reply.Content["ename"]!.GetValue<string>());
        Client.IopubUntilIdle(request);
        Assert.False(kernel.Process.HasExited);
        Assert.Equal("ok", Client.Execute("1").Status);
    }

    [ZmqFact]
    public void Interrupt_sleeping_cell_and_recursion_are_interruptible()
    {
        var sleeping = Client.StartCell("Thread.Sleep(60_000);");
        Client.Request("interrupt_request", new JsonObject(), control: true);
        Assert.Equal("error", (Client.Reply(sleeping, InterruptReplyTimeout) ?? throw new TimeoutException("sleep not interrupted; kernel log:\n" + kernel.Process.Log)).Content["status"]!.GetValue<string>());
        Client.IopubUntilIdle(sleeping);

        var swallowing = Client.StartCell("int spin(int n) { try { while (true) { } } catch (Exception) { } return spin(n + 1) ; } spin(0);");
        Client.Request("interrupt_request", new JsonObject(), control: true);
        var reply = Client.Reply(swallowing, InterruptReplyTimeout) ?? throw new TimeoutException("swallowing loop not interrupted; kernel log:\n" + kernel.Process.Log);
        Assert.Equal("CellInterruptedException", reply.Content["ename"]!.GetValue<string>());
        Client.IopubUntilIdle(swallowing);
        Assert.Equal("ok", Client.Execute("1").Status);
    }

    [ZmqFact]
    public void IsComplete_classifies_code()
    {
        string Ask(string code) => Client.Request("is_complete_request", new JsonObject { ["code"] = code }).Content["status"]!.GetValue<string>();
        Assert.Equal("complete", Ask("var x = 1;"));
        Assert.Equal("complete", Ask("1 + 1"));
        Assert.Equal("incomplete", Ask("for (var i = 0; i < 3; i++) {"));
        Assert.Equal("incomplete", Ask("var s = \"\"\"\nabc"));
        Assert.Equal("invalid", Ask("var x = 1;)"));
    }

    [ZmqFact]
    public void Complete_members_and_names_in_scope()
    {
        Client.Execute("var completionTarget = new List<int>();");
        var code = "completionTarget.Ad";
        var reply = Client.Request("complete_request", new JsonObject { ["code"] = code, ["cursor_pos"] = code.Length });
        var matches = reply.Content["matches"]!.AsArray().Select(n => n!.GetValue<string>()).ToList();
        Assert.Contains("Add", matches);
        Assert.Contains("AddRange", matches);
        Assert.Equal(code.Length - 2, reply.Content["cursor_start"]!.GetValue<int>());
        Assert.Equal(code.Length, reply.Content["cursor_end"]!.GetValue<int>());

        var scope = Client.Request("complete_request", new JsonObject { ["code"] = "completionT", ["cursor_pos"] = 11 });
        Assert.Contains("completionTarget", scope.Content["matches"]!.AsArray().Select(n => n!.GetValue<string>()));
        var linq = Client.Request("complete_request", new JsonObject { ["code"] = "completionTarget.Whe", ["cursor_pos"] = 20 });
        Assert.Contains("Where", linq.Content["matches"]!.AsArray().Select(n => n!.GetValue<string>()));
    }

    [ZmqFact]
    public void Display_of_an_object_with_ToMimeBundle_renders_every_mime_type()
    {
        var code = """
            public sealed class Chart
            {
                public IReadOnlyDictionary<string, string> ToMimeBundle() => new Dictionary<string, string>
                {
                    ["text/html"] = "<b>chart</b>",
                    ["image/svg+xml"] = "<svg xmlns='http://www.w3.org/2000/svg'/>",
                    ["application/json"] = "{\"points\": [1, 2]}",
                };
            }
            display(new Chart());
            display(Html("<i>x</i>"));
            new Chart()
            """;
        var run = Client.Execute(code);
        Assert.Equal("ok", run.Status);
        var displays = run.Iopub.Where(m => m.MessageType == "display_data").ToList();
        Assert.Equal(2, displays.Count);
        var data = displays[0].Content["data"]!;
        Assert.Equal("<b>chart</b>", data["text/html"]!.GetValue<string>());
        Assert.Equal("<svg xmlns='http://www.w3.org/2000/svg'/>", data["image/svg+xml"]!.GetValue<string>());
        Assert.Equal(2, data["application/json"]!["points"]![1]!.GetValue<int>());
        Assert.NotNull(data["text/plain"]);
        Assert.Equal("<i>x</i>", displays[1].Content["data"]!["text/html"]!.GetValue<string>());
        var result = run.Iopub.Single(m => m.MessageType == "execute_result").Content["data"]!;
        Assert.Equal("<b>chart</b>", result["text/html"]!.GetValue<string>());
    }

    [ZmqFact]
    public void BadSignature_is_ignored_and_kernel_keeps_serving()
    {
        var message = new JupyterMessage { Header = JupyterMessage.NewHeader("kernel_info_request", "forger"), Content = new JsonObject() };
        var frames = message.ToFrames(new MessageSigner("not-the-key"));
        Client.SendRawShell(frames);
        Assert.Null(Client.Reply(message, TimeSpan.FromSeconds(1)));
        Assert.Contains("invalid HMAC signature", kernel.Process.Log);
        Assert.Equal("kernel_info_reply", Client.Request("kernel_info_request", new JsonObject()).MessageType);
    }

    [ZmqFact]
    public void UserExpressions_are_evaluated_into_the_reply()
    {
        var request = Client.Send("execute_request", new JsonObject
        {
            ["code"] = "var ue = 20;",
            ["user_expressions"] = new JsonObject { ["sum"] = "ue + 22", ["bad"] = "nope" },
        });
        var reply = Client.Reply(request, TimeSpan.FromSeconds(30))!;
        Client.IopubUntilIdle(request);
        var expressions = reply.Content["user_expressions"]!;
        Assert.Equal("ok", expressions["sum"]!["status"]!.GetValue<string>());
        Assert.Equal("42", expressions["sum"]!["data"]!["text/plain"]!.GetValue<string>());
        Assert.Equal("error", expressions["bad"]!["status"]!.GetValue<string>());
        Assert.Equal("CompilationError", expressions["bad"]!["ename"]!.GetValue<string>());
    }

    [ZmqFact]
    public void Comm_info_history_and_inspect_requests_get_their_replies()
    {
        Assert.Empty(Client.Request("comm_info_request", new JsonObject()).Content["comms"]!.AsObject());
        // The shared kernel has run other tests' cells: the last one stored in history is this one.
        var run = Client.Execute("var historyMarker = 6 * 7; historyMarker");
        var count = run.Reply.Content["execution_count"]!.GetValue<int>();
        var tail = Client.Request("history_request", new JsonObject { ["hist_access_type"] = "tail", ["n"] = 1, ["output"] = true, ["raw"] = true }).Content["history"]!.AsArray();
        Assert.Equal($"[[1,{count},[\"var historyMarker = 6 * 7; historyMarker\",\"42\"]]]", tail.ToJsonString());
        var inspect = Client.Request("inspect_request", new JsonObject { ["code"] = "Math.Sqrt", ["cursor_pos"] = 9, ["detail_level"] = 0 });
        Assert.True(inspect.Content["found"]!.GetValue<bool>());
        Assert.Contains("Math.Sqrt(double)", inspect.Content["data"]!["text/plain"]!.GetValue<string>());
    }

    [ZmqFact]
    public void Stdin_reads_ask_the_front_end_when_it_allows_input_and_fail_clearly_when_it_does_not()
    {
        // Console.ReadLine/Read send input_request on the stdin channel; the answer comes back as the line read.
        var (run, requests) = Client.ExecuteWithInput("Console.Write(\"name? \"); var who = Console.ReadLine(); var c = (char)Console.Read(); $\"{who}|{c}\"", ["Ada", "xyz"]);
        Assert.Equal("ok", run.Status);
        Assert.Equal("Ada|x", run.ResultText);
        Assert.Equal(2, requests.Count);
        Assert.All(requests, r => Assert.Equal("input_request", r.MessageType));
        Assert.Equal("name? ", run.Stdout); // the prompt written before the read is shown before the input box

        // Polyglot's prompt for a value: #!set … @input:"…" reads a line the same way.
        var (prompted, _) = Client.ExecuteWithInput("#!set --name answer --value @input:\"Tempo?\"\nanswer", ["96"]);
        Assert.Equal("96", prompted.ResultText);
        Assert.Equal("Tempo? ", prompted.Stdout);

        // .NET Interactive's helpers: GetPasswordAsync asks for a masked input and does not show the secret.
        var (secret, secretRequests) = Client.ExecuteWithInput("var who3 = await Kernel.GetInputAsync(\"Name?\");\nvar key = await Kernel.GetPasswordAsync(\"API key\");\n$\"{who3}:{key}:{key.GetClearTextPassword().Length}\"", ["Ada", "s3cret"]);
        Assert.Equal("Ada:************:6", secret.ResultText);
        Assert.Equal([("Name?", false), ("API key", true)], secretRequests.Select(r => (r.Content["prompt"]!.GetValue<string>(), r.Content["password"]!.GetValue<bool>())));

        // An interrupt while the kernel waits for input ends the cell; the next one runs. (The "yz" left from the
        // line above is not read by this cell: each cell asks afresh.)
        var (interrupted, _) = Client.ExecuteWithInput("Console.ReadLine()", []);
        Assert.Equal("CellInterruptedException", interrupted.Error!.Content["ename"]!.GetValue<string>());
        Assert.Equal("2", Client.Execute("1+1").ResultText);

        // allow_stdin: false (nbconvert, nbclient): one clear error instead of a silent null.
        var refused = Client.Execute("var line = Console.ReadLine();");
        Assert.Equal("error", refused.Status);
        Assert.Equal("StdinNotAvailableException", refused.Error!.Content["ename"]!.GetValue<string>());
        Assert.Contains("does not accept input requests (allow_stdin is false", refused.Error.Content["evalue"]!.GetValue<string>());
    }

    [ZmqFact]
    public void Heartbeat_echoes() => Assert.True(Client.Heartbeat(TimeSpan.FromSeconds(5)));

    [ZmqFact]
    public void ReferenceAndLoad_resolve_relative_to_working_directory()
    {
        File.WriteAllText(Path.Combine(kernel.Process.Directory, "helper.csx"), "int FromHelper() => 7;");
        var dll = typeof(Xunit.FactAttribute).Assembly.Location;
        File.Copy(dll, Path.Combine(kernel.Process.Directory, "xunit.core.dll"), overwrite: true);
        Assert.Equal("7", Client.Execute("#load \"helper.csx\"\nFromHelper()").ResultText);
        Assert.Equal("FactAttribute", Client.Execute("#r \"xunit.core.dll\"\ntypeof(Xunit.FactAttribute).Name").ResultText);
    }

    [ZmqFact]
    public void Latency_startup_and_trivial_round_trip()
    {
        Client.Execute("1+1"); // settle after whatever ran before
        var wall = new List<double>();
        var cpu = new List<double>();
        for (var i = 0; i < 20; i++)
        {
            var cpu0 = kernel.Process.CpuTime;
            var watch = Stopwatch.StartNew();
            var run = Client.Execute("1+1");
            wall.Add(watch.Elapsed.TotalMilliseconds);
            cpu.Add((kernel.Process.CpuTime - cpu0).TotalMilliseconds);
            Assert.Equal("2", run.ResultText);
        }
        wall.Sort();
        cpu.Sort();
        output.WriteLine($"load average: {File.ReadAllText("/proc/loadavg").Trim()}");
        output.WriteLine($"start-up to first executed cell: {kernel.StartupToFirstCell.TotalMilliseconds:0} ms wall, {kernel.StartupCpu.TotalMilliseconds:0} ms kernel CPU");
        output.WriteLine($"trivial cell round trip (execute_request -> idle), 20 runs: wall median {wall[10]:0.0} ms (min {wall[0]:0.0}, max {wall[^1]:0.0}); kernel CPU median {cpu[10]:0.0} ms (min {cpu[0]:0.0})");
        // Bounds on CPU time, which other engineers' builds on the shared 2 cores do not inflate much (wall time under
        // a load average of 40 is 5-10x the CPU time). docs/kernel.md records the numbers against the 5 s / 50 ms targets.
        Assert.True(kernel.StartupCpu < TimeSpan.FromSeconds(20), $"start-up used {kernel.StartupCpu} of CPU");
        Assert.True(cpu[10] < 150, $"median CPU per trivial cell {cpu[10]} ms");
    }
}
