using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using HarmoniousFeedback.Kernel.Display;
using HarmoniousFeedback.Kernel.Execution;
using HarmoniousFeedback.Kernel.Lifecycle;
using HarmoniousFeedback.Kernel.Protocol;
using HarmoniousFeedback.Kernel.Transport;

namespace HarmoniousFeedback.Kernel;

/// <summary>
/// The running kernel: binds the five Jupyter sockets from a <see cref="ConnectionInfo"/> and serves requests until
/// a <c>shutdown_request</c>. Threads and the sockets each one alone uses:
/// <list type="bullet">
/// <item>shell thread (the caller of <see cref="Run"/>): shell ROUTER and stdin ROUTER; handles requests in order,
/// handing cells to the execution thread and waiting for them;</item>
/// <item>control thread: control ROUTER; <c>interrupt_request</c>, <c>shutdown_request</c>, <c>kernel_info_request</c>
/// are answered even while a cell runs;</item>
/// <item>heartbeat thread: REP socket echoing every message;</item>
/// <item>iopub thread: PUB socket fed by a queue (<see cref="IopubChannel"/>), so cells, stream flushes and handlers
/// publish from any thread;</item>
/// <item>execution thread (<see cref="CellExecutor"/>): runs cells; owns no socket.</item>
/// </list>
/// </summary>
public sealed class KernelHost : IDisposable
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// After a shutdown request (or the parent's death) the process ends within this time whatever runs: a cell that
    /// ignores the interrupt, a foreground thread a cell started, a hung disposal.
    /// </summary>
    public static readonly TimeSpan ExitDeadline = TimeSpan.FromSeconds(3);

    private readonly ConnectionInfo _connection;
    private readonly TextWriter _log;
    private readonly MessageSigner _signer;
    private readonly string _session = Guid.NewGuid().ToString("N");
    private readonly ZmqContext _context;
    private readonly ZmqSocket _shell, _control, _stdin, _heartbeat, _iopubSocket;
    private readonly IopubChannel _iopub;
    private readonly ScriptSession _script;
    private readonly CellExecutor _executor;
    private readonly StreamCapture _stdout, _stderr;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Thread _controlThread, _heartbeatThread;
    private PosixSignalRegistration? _sigint;
    private ParentProcessWatcher? _parentWatcher;
    private JsonObject? _outputParent;
    private InputContext? _input;
    private readonly System.Collections.Concurrent.ConcurrentQueue<PendingInput> _pendingInputs = new();
    private readonly StdinReader _stdinReader;
    private readonly CellHistory _history = new();
    private int _executionCount;
    private bool _restartRequested;
    private int _exitCode;
    private int _exitArmed;

    /// <param name="connection">Ports, transport and key from the connection file.</param>
    /// <param name="workingDirectory">Base directory for <c>#r</c>/<c>#load</c> (Jupyter starts kernels in the notebook's directory).</param>
    /// <param name="log">The kernel's own diagnostics (the real stderr, not the captured one).</param>
    public KernelHost(ConnectionInfo connection, string workingDirectory, TextWriter log)
    {
        connection.Validate();
        _connection = connection;
        _log = log;
        _signer = new MessageSigner(connection.Key);
        _context = new ZmqContext();
        var sockets = new List<ZmqSocket>();
        try
        {
            _shell = Bind(ZmqSocketType.Router, connection.ShellPort, sockets);
            _control = Bind(ZmqSocketType.Router, connection.ControlPort, sockets);
            _stdin = Bind(ZmqSocketType.Router, connection.StdinPort, sockets);
            _heartbeat = Bind(ZmqSocketType.Rep, connection.HbPort, sockets);
            _iopubSocket = Bind(ZmqSocketType.Pub, connection.IopubPort, sockets);
        }
        catch
        {
            foreach (var s in sockets) s.Dispose();
            _context.Dispose();
            throw;
        }

        _iopub = new IopubChannel(_iopubSocket, _signer, _session, _session[..8], log);
        _stdout = new StreamCapture("stdout", EmitStream);
        _stderr = new StreamCapture("stderr", EmitStream);
        _stdinReader = new StdinReader(prompt => RequestInput(prompt, password: false));
        _script = new ScriptSession(workingDirectory, EmitDisplay, EmitClearOutput);
        _executor = new CellExecutor(_script); // starts the warm-up in the background now
        _controlThread = new Thread(ControlLoop) { IsBackground = true, Name = "hfb-kernel control" };
        _heartbeatThread = new Thread(HeartbeatLoop) { IsBackground = true, Name = "hfb-kernel heartbeat" };
    }

    private ZmqSocket Bind(ZmqSocketType type, int port, List<ZmqSocket> made)
    {
        var socket = _context.CreateSocket(type);
        made.Add(socket);
        if (type == ZmqSocketType.Router) socket.SetInt(ZmqNative.ZMQ_ROUTER_HANDOVER, 1);
        socket.Bind(_connection.Endpoint(port));
        return socket;
    }

    /// <summary>The warm-up task (completes when the first cell can run without Roslyn start-up cost).</summary>
    public Task Ready => _executor.Ready;

    /// <summary>True when the last shutdown request asked for a restart.</summary>
    public bool RestartRequested => _restartRequested;

    /// <summary>
    /// Serves until a <c>shutdown_request</c> (or <see cref="Stop"/>, or the death of the Jupyter client that launched
    /// the kernel, see <see cref="ParentProcessWatcher"/>); returns the process exit code: 0, or 1 when the parent died.
    /// </summary>
    public int Run()
    {
        var originalOut = Console.Out;
        var originalErr = Console.Error;
        var originalIn = Console.In;
        Console.SetOut(_stdout);
        Console.SetError(_stderr);
        Console.SetIn(_stdinReader);
        Microsoft.DotNet.Interactive.Kernel.Input = RequestInput;
        _sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, ctx =>
        {
            ctx.Cancel = true; // interrupt_mode "signal": interrupt the cell, keep the kernel
            _executor.Interrupt();
        });
        HandleBackgroundExceptions();
        _parentWatcher = ParentProcessWatcher.Start(reason =>
        {
            _log.WriteLine($"hfb-kernel: {reason}; shutting down");
            Volatile.Write(ref _exitCode, 1);
            _executor.Interrupt();
            _stopping.Cancel();
            ArmExitDeadline();
        });
        try
        {
            _controlThread.Start();
            _heartbeatThread.Start();
            _iopub.Status("starting", null);
            ServeLoop(_shell, "shell", HandleShell);
        }
        finally
        {
            _stopping.Cancel();
            _controlThread.Join(TimeSpan.FromSeconds(2));
            _heartbeatThread.Join(TimeSpan.FromSeconds(2));
            _stdout.Flush();
            _stderr.Flush();
            Console.SetOut(originalOut);
            Console.SetError(originalErr);
            Console.SetIn(originalIn);
        }
        return Volatile.Read(ref _exitCode);
    }

    /// <summary>
    /// An exception that escapes a thread a cell started (<c>new Thread</c>, the thread pool, a timer callback) would end
    /// the process; .NET 10's <see cref="System.Runtime.ExceptionServices.ExceptionHandling.SetUnhandledExceptionHandler"/>
    /// (meant for REPLs that host user code) lets the kernel report it on the cell's stderr instead and keep running.
    /// An interrupt reaching such a thread ends it quietly.
    /// </summary>
    private void HandleBackgroundExceptions()
    {
        try
        {
            System.Runtime.ExceptionServices.ExceptionHandling.SetUnhandledExceptionHandler(e =>
            {
                if (e is CellInterruptedException) return true;
                try
                {
                    Console.Error.WriteLine($"unhandled exception on a background thread (the kernel keeps running): {e.GetType().FullName}: {e.Message}");
                    _log.WriteLine("hfb-kernel: unhandled background exception: " + e);
                }
                catch (Exception) { } // reporting must never turn a handled exception into a crash
                return true;
            });
        }
        catch (InvalidOperationException) { } // a handler is already set (a host embedding the kernel)
    }

    /// <summary>From now on, the process ends within <see cref="ExitDeadline"/> whatever still runs (see <see cref="ExitDeadline"/>).</summary>
    private void ArmExitDeadline()
    {
        if (Interlocked.Exchange(ref _exitArmed, 1) != 0) return;
        new Thread(() =>
        {
            Thread.Sleep(ExitDeadline);
            var code = Volatile.Read(ref _exitCode);
            _log.WriteLine($"hfb-kernel: still running {ExitDeadline.TotalSeconds:0} s after shutdown; ending the process (exit code {code})");
            ExitNow(code);
        })
        { IsBackground = true, Name = "hfb-kernel exit deadline" }.Start();
    }

    /// <summary>Ends the process at once: <c>_exit</c> on Linux/macOS (no managed shutdown that a cell could block), else <see cref="Environment.Exit"/>.</summary>
    internal static void ExitNow(int code)
    {
        if (PosixNative.IsSupported) PosixNative.ExitNow(code);
        Environment.Exit(code);
    }

    /// <summary>Asks every loop to end (as a shutdown request does); <see cref="Run"/> returns shortly after.</summary>
    public void Stop() => _stopping.Cancel();

    private void ServeLoop(ZmqSocket socket, string channel, Action<ZmqSocket, JupyterMessage> handle)
    {
        while (!_stopping.IsCancellationRequested)
        {
            List<byte[]>? frames;
            try { frames = socket.ReceiveMultipart((int)PollInterval.TotalMilliseconds); }
            catch (ZmqException e) when (e.ErrorNumber == ZmqNative.ETERM) { return; }
            if (frames is null) continue;
            JupyterMessage request;
            try { request = JupyterMessage.FromFrames(frames, _signer); }
            catch (ProtocolException e)
            {
                _log.WriteLine($"hfb-kernel: ignored a {channel} message: {e.Message}");
                continue;
            }
            _iopub.Status("busy", request.Header);
            try { handle(socket, request); }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                _log.WriteLine($"hfb-kernel: {channel} {request.MessageType} failed: {e}");
                Reply(socket, request, request.MessageType.Replace("_request", "_reply", StringComparison.Ordinal), ErrorContent(ScriptSession.RuntimeError(e)));
            }
            finally
            {
                _iopub.Status("idle", request.Header);
            }
        }
    }

    private void ControlLoop() => ServeLoop(_control, "control", HandleControl);

    private void HeartbeatLoop()
    {
        while (!_stopping.IsCancellationRequested)
        {
            try
            {
                var frames = _heartbeat.ReceiveMultipart((int)PollInterval.TotalMilliseconds);
                if (frames is not null) _heartbeat.SendMultipart(frames);
            }
            catch (ZmqException e)
            {
                if (e.ErrorNumber != ZmqNative.ETERM) _log.WriteLine("hfb-kernel: heartbeat stopped: " + e.Message);
                return;
            }
        }
    }

    private void Reply(ZmqSocket socket, JupyterMessage request, string msgType, JsonObject content)
    {
        var reply = new JupyterMessage
        {
            Identities = request.Identities,
            Header = JupyterMessage.ChildHeader(msgType, request.Header, _session),
            ParentHeader = request.Header,
            Content = content,
        };
        socket.SendMultipart(reply.ToFrames(_signer));
    }

    private void HandleControl(ZmqSocket socket, JupyterMessage request)
    {
        switch (request.MessageType)
        {
            case "interrupt_request":
                _executor.Interrupt();
                Reply(socket, request, "interrupt_reply", new JsonObject { ["status"] = "ok" });
                break;
            case "shutdown_request":
                Shutdown(socket, request);
                break;
            case "kernel_info_request":
                Reply(socket, request, "kernel_info_reply", KernelInfo.Content());
                break;
            default:
                _log.WriteLine($"hfb-kernel: unsupported control message '{request.MessageType}' ignored");
                break;
        }
    }

    private void HandleShell(ZmqSocket socket, JupyterMessage request)
    {
        var content = request.Content;
        switch (request.MessageType)
        {
            case "kernel_info_request":
                Reply(socket, request, "kernel_info_reply", KernelInfo.Content());
                break;
            case "execute_request":
            {
                var reply = Execute(request);
                Reply(socket, request, "execute_reply", reply);
                if (reply["status"]?.GetValue<string>() == "error" && Bool(content, "stop_on_error", true)) AbortQueuedExecutions(socket);
                break;
            }
            case "is_complete_request":
            {
                var status = ScriptSession.IsComplete(Str(content, "code"));
                var reply = new JsonObject { ["status"] = status };
                if (status == "incomplete") reply["indent"] = "";
                Reply(socket, request, "is_complete_reply", reply);
                break;
            }
            case "complete_request":
            {
                _executor.Ready.GetAwaiter().GetResult();
                var code = Str(content, "code");
                var cursor = CodePoints.ToUtf16Index(code, Int(content, "cursor_pos", code.Length));
                var (start, end, matches) = _script.Complete(code, cursor);
                Reply(socket, request, "complete_reply", new JsonObject
                {
                    ["status"] = "ok",
                    ["matches"] = new JsonArray(matches.Select(m => (JsonNode)m).ToArray()),
                    ["cursor_start"] = CodePoints.FromUtf16Index(code, start),
                    ["cursor_end"] = CodePoints.FromUtf16Index(code, end),
                    ["metadata"] = new JsonObject(),
                });
                break;
            }
            case "inspect_request":
            {
                _executor.Ready.GetAwaiter().GetResult();
                var code = Str(content, "code");
                var text = _script.Inspect(code, CodePoints.ToUtf16Index(code, Int(content, "cursor_pos", code.Length)));
                Reply(socket, request, "inspect_reply", new JsonObject
                {
                    ["status"] = "ok",
                    ["found"] = text is not null,
                    ["data"] = text is null ? new JsonObject() : new JsonObject { [MimeTypes.PlainText] = text },
                    ["metadata"] = new JsonObject(),
                });
                break;
            }
            case "comm_info_request":
                Reply(socket, request, "comm_info_reply", new JsonObject { ["status"] = "ok", ["comms"] = new JsonObject() });
                break;
            case "history_request":
                Reply(socket, request, "history_reply", new JsonObject { ["status"] = "ok", ["history"] = _history.Query(content) });
                break;
            case "shutdown_request":
                Shutdown(socket, request);
                break;
            case "comm_open" or "comm_msg" or "comm_close":
                break; // no comm targets: messages for unknown comms are ignored, as the spec allows
            default:
                _log.WriteLine($"hfb-kernel: unsupported shell message '{request.MessageType}' ignored");
                break;
        }
    }

    private JsonObject Execute(JupyterMessage request)
    {
        var content = request.Content;
        var code = Str(content, "code");
        var silent = Bool(content, "silent", false);
        var storeHistory = Bool(content, "store_history", !silent);
        if (storeHistory && !silent) _executionCount++;
        var count = _executionCount;
        if (!silent) _iopub.Publish("execute_input", new JsonObject { ["code"] = code, ["execution_count"] = count }, request.Header);

        Volatile.Write(ref _outputParent, request.Header);
        _stdinReader.DiscardBuffered();
        Volatile.Write(ref _input, new InputContext(request, Bool(content, "allow_stdin", false)));
        CellOutcome outcome;
        try { outcome = _executor.Execute(code, $"cell{count}", ServePendingInput); }
        finally { Volatile.Write(ref _input, null); }
        _stdout.Flush();
        _stderr.Flush();
        if (storeHistory && !silent) _history.Add(count, code, outcome.Result?.GetValueOrDefault(MimeTypes.PlainText));

        if (outcome.Error is { } error)
        {
            _iopub.Publish("error", ErrorContent(error), request.Header);
            var reply = ErrorContent(error);
            reply["execution_count"] = count;
            return reply;
        }
        if (outcome.Result is { } result && !silent)
        {
            _iopub.Publish("execute_result", new JsonObject
            {
                ["execution_count"] = count,
                ["data"] = BundleToJson(SvgExport.Enrich(result, _log)),
                ["metadata"] = new JsonObject(),
            }, request.Header);
        }
        return new JsonObject
        {
            ["status"] = "ok",
            ["execution_count"] = count,
            ["user_expressions"] = UserExpressions(content["user_expressions"] as JsonObject),
            ["payload"] = new JsonArray(),
        };
    }

    /// <summary>
    /// After a failed cell with <c>stop_on_error</c> (the default), execute requests already queued on the shell
    /// socket — the rest of a "Run All" — are answered <c>status: aborted</c> without running, as ipykernel does;
    /// other queued requests are handled normally.
    /// </summary>
    private void AbortQueuedExecutions(ZmqSocket socket)
    {
        while (socket.ReceiveMultipart(0) is { } frames)
        {
            JupyterMessage queued;
            try { queued = JupyterMessage.FromFrames(frames, _signer); }
            catch (ProtocolException e)
            {
                _log.WriteLine("hfb-kernel: ignored a shell message: " + e.Message);
                continue;
            }
            _iopub.Status("busy", queued.Header);
            try
            {
                if (queued.MessageType == "execute_request")
                    Reply(socket, queued, "execute_reply", new JsonObject { ["status"] = "aborted", ["execution_count"] = _executionCount });
                else
                    HandleShell(socket, queued);
            }
            finally
            {
                _iopub.Status("idle", queued.Header);
            }
        }
    }

    private JsonObject UserExpressions(JsonObject? expressions)
    {
        var results = new JsonObject();
        if (expressions is null) return results;
        foreach (var (name, node) in expressions)
        {
            var outcome = _executor.Execute(node?.GetValue<string>() ?? "");
            results[name] = outcome.Error is { } e
                ? ErrorContent(e)
                : new JsonObject { ["status"] = "ok", ["data"] = BundleToJson(outcome.Result ?? DisplayFormatter.Format(null)), ["metadata"] = new JsonObject() };
        }
        return results;
    }

    private void Shutdown(ZmqSocket socket, JupyterMessage request)
    {
        _restartRequested = Bool(request.Content, "restart", false);
        var content = new JsonObject { ["status"] = "ok", ["restart"] = _restartRequested };
        Reply(socket, request, "shutdown_reply", content);
        _iopub.Publish("shutdown_reply", content.DeepClone().AsObject(), request.Header);
        _executor.Interrupt();
        _stopping.Cancel();
        ArmExitDeadline();
    }

    /// <summary>The execute request whose cell runs, and whether its front end accepts input requests (<c>allow_stdin</c>).</summary>
    private sealed record InputContext(JupyterMessage Request, bool Allowed);

    /// <summary>A line a cell asked for; the shell thread sends the <c>input_request</c> and completes <see cref="Answer"/>.</summary>
    private sealed record PendingInput(InputContext Context, string Prompt, bool Password, TaskCompletionSource<string> Answer);

    /// <summary>
    /// <see cref="Console.In"/>'s source (<see cref="StdinReader"/>), called on the thread that reads — the cell's or one
    /// it started: queues the request for the shell thread, which owns the stdin socket, and waits for the answer;
    /// an interrupt ends the wait (<see cref="CellInterruptedException"/>). Throws <see cref="StdinNotAvailableException"/>
    /// when the front end said <c>allow_stdin: false</c> or no cell runs.
    /// </summary>
    private string RequestInput(string prompt, bool password)
    {
        var context = Volatile.Read(ref _input)
            ?? throw new StdinNotAvailableException("standard input was read (Console.ReadLine/Read) while no cell runs — by background work its cell started; the front end can only be asked for input while the cell that asks is running");
        if (!context.Allowed)
        {
            throw new StdinNotAvailableException("the cell asks for input (Console.ReadLine/Read, Kernel.GetInputAsync, #!set … @input:), but this front end does not accept input requests "
                                                 + "(allow_stdin is false, as with nbconvert, nbclient and papermill): give the value in the code instead, or run the cell in Jupyter Notebook, JupyterLab or VS Code, which show an input box");
        }
        _stdout.Flush();
        _stderr.Flush();
        var pending = new PendingInput(context, prompt, password, new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously));
        _pendingInputs.Enqueue(pending);
        try
        {
            // Thread.Interrupt (an interrupt of the execution thread) ends Wait; the gate ends it on other threads.
            while (!pending.Answer.Task.Wait(100)) InterruptGate.Check();
            return pending.Answer.Task.Result;
        }
        catch (AggregateException e) when (e.InnerException is TaskCanceledException)
        {
            throw new CellInterruptedException();
        }
        finally
        {
            pending.Answer.TrySetCanceled();
        }
    }

    /// <summary>
    /// On the shell thread while a cell runs: for each line the cell asked for, an <c>input_request</c> on the stdin
    /// channel (to the client that sent the execute request, as ipykernel does), then waits for its <c>input_reply</c>
    /// until the cell stops asking (interrupted) or the kernel stops. Replies left over from an earlier, abandoned
    /// request are discarded first.
    /// </summary>
    private void ServePendingInput()
    {
        while (_pendingInputs.TryDequeue(out var pending))
        {
            if (pending.Answer.Task.IsCompleted) continue;
            while (_stdin.ReceiveMultipart(0) is not null) { } // stale input_reply of an interrupted request
            var request = pending.Context.Request;
            var message = new JupyterMessage
            {
                Identities = request.Identities,
                Header = JupyterMessage.ChildHeader("input_request", request.Header, _session),
                ParentHeader = request.Header,
                Content = new JsonObject { ["prompt"] = pending.Prompt, ["password"] = pending.Password },
            };
            _stdin.SendMultipart(message.ToFrames(_signer));
            while (!pending.Answer.Task.IsCompleted)
            {
                if (_stopping.IsCancellationRequested) { pending.Answer.TrySetCanceled(); break; }
                var frames = _stdin.ReceiveMultipart((int)PollInterval.TotalMilliseconds);
                if (frames is null) continue;
                JupyterMessage reply;
                try { reply = JupyterMessage.FromFrames(frames, _signer); }
                catch (ProtocolException e)
                {
                    _log.WriteLine("hfb-kernel: ignored a stdin message: " + e.Message);
                    continue;
                }
                if (reply.MessageType != "input_reply")
                {
                    _log.WriteLine($"hfb-kernel: unexpected stdin message '{reply.MessageType}' ignored");
                    continue;
                }
                pending.Answer.TrySetResult(Str(reply.Content, "value"));
            }
        }
    }

    private void EmitStream(string name, string text)
    {
        _iopub.Publish("stream", new JsonObject { ["name"] = name, ["text"] = text }, Volatile.Read(ref _outputParent));
    }

    private void EmitDisplay(DisplayData display)
    {
        _stdout.Flush(); // keep text printed before display(x) above it
        _iopub.Publish(display.IsUpdate ? "update_display_data" : "display_data", new JsonObject
        {
            ["data"] = BundleToJson(SvgExport.Enrich(display.Bundle, _log)),
            ["metadata"] = new JsonObject(),
            ["transient"] = display.DisplayId is null ? new JsonObject() : new JsonObject { ["display_id"] = display.DisplayId },
        }, Volatile.Read(ref _outputParent));
    }

    private void EmitClearOutput(bool wait)
    {
        _stdout.Flush();
        _stderr.Flush();
        _iopub.Publish("clear_output", new JsonObject { ["wait"] = wait }, Volatile.Read(ref _outputParent));
    }

    /// <summary>A MIME bundle as Jupyter <c>data</c>: strings, except JSON types, which are embedded as JSON values.</summary>
    internal static JsonObject BundleToJson(IReadOnlyDictionary<string, string> bundle)
    {
        var data = new JsonObject();
        foreach (var (mime, value) in bundle)
        {
            if (MimeTypes.IsJson(mime))
            {
                try { data[mime] = JsonNode.Parse(value); continue; }
                catch (System.Text.Json.JsonException) { data[MimeTypes.PlainText] ??= value; continue; } // invalid JSON: shown as text only
            }
            data[mime] = value;
        }
        return data;
    }

    private static JsonObject ErrorContent(CellError error) => new()
    {
        ["status"] = "error",
        ["ename"] = error.Name,
        ["evalue"] = error.Value,
        ["traceback"] = new JsonArray(error.Traceback.Select(l => (JsonNode)l).ToArray()),
    };

    private static string Str(JsonObject o, string key) => o[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : "";

    private static bool Bool(JsonObject o, string key, bool fallback) => o[key] is JsonValue v && v.TryGetValue<bool>(out var b) ? b : fallback;

    private static int Int(JsonObject o, string key, int fallback) => o[key] is JsonValue v && v.TryGetValue<int>(out var i) ? i : fallback;

    public void Dispose()
    {
        _stopping.Cancel();
        _sigint?.Dispose();
        _parentWatcher?.Dispose();
        _executor.Dispose();
        _iopub.Drain(TimeSpan.FromSeconds(2));
        _stdout.Dispose();
        _stderr.Dispose();
        _shell.Dispose();
        _control.Dispose();
        _stdin.Dispose();
        _heartbeat.Dispose();
        _iopubSocket.Dispose();
        _context.Dispose();
        _stopping.Dispose();
    }
}
