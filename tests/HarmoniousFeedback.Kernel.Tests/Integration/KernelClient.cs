using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using HarmoniousFeedback.Kernel.Protocol;
using HarmoniousFeedback.Kernel.Transport;

namespace HarmoniousFeedback.Kernel.Tests.Integration;

/// <summary>
/// Starts <c>hfb-kernel</c> as a child process (<c>dotnet hfb-kernel.dll conn.json</c>) with a generated connection
/// file on free loopback ports, and kills it on dispose if a test did not shut it down.
/// </summary>
public sealed class KernelProcess : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _stderr = new();

    /// <param name="environment">Extra environment variables for the kernel.</param>
    /// <param name="underShell">
    /// Start the kernel as the child of <c>/bin/sh</c> (which waits for it) with <c>JPY_PARENT_PID</c> set to the
    /// shell's pid, as jupyter_client does with its own; <see cref="Launcher"/> is then the shell, which a test can kill
    /// to orphan the kernel.
    /// </param>
    public KernelProcess(IReadOnlyDictionary<string, string>? environment = null, bool underShell = false)
    {
        Directory = TestDirs.Create();
        Connection = new ConnectionInfo
        {
            Ip = "127.0.0.1",
            ShellPort = FreePort(), IopubPort = FreePort(), StdinPort = FreePort(), ControlPort = FreePort(), HbPort = FreePort(),
            Key = Guid.NewGuid().ToString(),
        };
        ConnectionFile = Path.Combine(Directory, "kernel.json");
        File.WriteAllText(ConnectionFile, JsonSerializer.Serialize(Connection));
        var dll = Path.Combine(AppContext.BaseDirectory, "hfb-kernel.dll");
        var psi = new ProcessStartInfo(underShell ? "/bin/sh" : "dotnet") { WorkingDirectory = Directory, RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        if (underShell)
        {
            psi.ArgumentList.Add("-c");
            psi.ArgumentList.Add("JPY_PARENT_PID=$$ dotnet \"$0\" \"$1\" & echo $!; wait");
        }
        psi.ArgumentList.Add(dll);
        psi.ArgumentList.Add(ConnectionFile);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) psi.Environment[name] = value;
        Started = Stopwatch.StartNew();
        _process = Process.Start(psi)!;
        Id = underShell ? int.Parse(_process.StandardOutput.ReadLine()!, System.Globalization.CultureInfo.InvariantCulture) : _process.Id;
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) _stderr.Enqueue(e.Data); };
        _process.BeginErrorReadLine();
        if (!underShell)
        {
            _process.OutputDataReceived += (_, _) => { };
            _process.BeginOutputReadLine();
        }
    }

    /// <summary>The process this class started: the kernel itself, or the shell above it (<c>underShell</c>).</summary>
    public Process Launcher => _process;

    /// <summary>True while a process with the kernel's id exists and is not a zombie (Linux <c>/proc</c>).</summary>
    public bool KernelAlive
    {
        get
        {
            try { return File.ReadAllText($"/proc/{Id}/stat").Split(") ")[1][0] != 'Z'; }
            catch (IOException) { return false; }
        }
    }

    public ConnectionInfo Connection { get; }
    public string ConnectionFile { get; }
    public string Directory { get; }
    public Stopwatch Started { get; }

    /// <summary>What the kernel wrote to its real stderr (its own log).</summary>
    public string Log => string.Join('\n', _stderr);

    public bool HasExited => _process.HasExited;

    /// <summary>The kernel's process id (the <c>dotnet</c> host runs the kernel in-process).</summary>
    public int Id { get; }

    /// <summary>CPU time the kernel process has used so far (user + system), insensitive to other load on the machine.</summary>
    public TimeSpan CpuTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    public bool WaitForExit(TimeSpan timeout) => _process.WaitForExit(timeout);

    public int ExitCode => _process.ExitCode;

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }
        if (Id != _process.Id && KernelAlive)
        {
            try { Process.GetProcessById(Id).Kill(); }
            catch (ArgumentException) { } // already gone
        }
        _process.Dispose();
        try { System.IO.Directory.Delete(Directory, recursive: true); } catch (IOException) { }
    }
}

/// <summary>
/// A minimal Jupyter client over the kernel's own P/Invoke ZeroMQ layer: DEALER sockets for shell, stdin and control
/// (shell and stdin with the same identity, as jupyter_client sets them, so the kernel's input requests reach this
/// client), a SUB socket for iopub (read by a background thread that alone uses it), REQ for heartbeat. Shell, stdin,
/// control and heartbeat sockets are used only from the test's thread.
/// </summary>
public sealed class KernelClient : IDisposable
{
    private readonly ZmqContext _context = new();
    private readonly ZmqSocket _shell, _stdin, _control, _heartbeat, _iopub;
    private readonly MessageSigner _signer;
    private readonly string _session = Guid.NewGuid().ToString("N");
    private readonly Thread _iopubThread;
    private readonly CancellationTokenSource _stop = new();
    private readonly object _gate = new();
    private readonly List<JupyterMessage> _iopubMessages = [];

    public KernelClient(ConnectionInfo connection, string? keyOverride = null)
    {
        _signer = new MessageSigner(keyOverride ?? connection.Key);
        _shell = _context.CreateSocket(ZmqSocketType.Dealer);
        _shell.SetBytes(ZmqNative.ZMQ_IDENTITY, System.Text.Encoding.ASCII.GetBytes(_session));
        _shell.Connect(connection.Endpoint(connection.ShellPort));
        _stdin = _context.CreateSocket(ZmqSocketType.Dealer);
        _stdin.SetBytes(ZmqNative.ZMQ_IDENTITY, System.Text.Encoding.ASCII.GetBytes(_session));
        _stdin.Connect(connection.Endpoint(connection.StdinPort));
        _control = _context.CreateSocket(ZmqSocketType.Dealer);
        _control.Connect(connection.Endpoint(connection.ControlPort));
        _heartbeat = _context.CreateSocket(ZmqSocketType.Req);
        _heartbeat.Connect(connection.Endpoint(connection.HbPort));
        _iopub = _context.CreateSocket(ZmqSocketType.Sub);
        _iopub.SubscribeAll();
        _iopub.Connect(connection.Endpoint(connection.IopubPort));
        _iopubThread = new Thread(ReadIopub) { IsBackground = true, Name = "test iopub" };
        _iopubThread.Start();
    }

    private void ReadIopub()
    {
        while (!_stop.IsCancellationRequested)
        {
            List<byte[]>? frames;
            try { frames = _iopub.ReceiveMultipart(50); }
            catch (ZmqException) { return; }
            if (frames is null) continue;
            var message = JupyterMessage.FromFrames(frames, _signer); // throws (failing the test run) on a bad kernel signature
            lock (_gate)
            {
                _iopubMessages.Add(message);
                Monitor.PulseAll(_gate);
            }
        }
    }

    /// <summary>Sends a request on shell (or control) and returns the message sent.</summary>
    public JupyterMessage Send(string msgType, JsonObject content, bool control = false)
    {
        var message = new JupyterMessage { Header = JupyterMessage.NewHeader(msgType, _session, "test"), Content = content };
        (control ? _control : _shell).SendMultipart(message.ToFrames(_signer));
        return message;
    }

    /// <summary>Sends raw frames on shell (for the bad-signature test).</summary>
    public void SendRawShell(List<byte[]> frames) => _shell.SendMultipart(frames);

    /// <summary>Waits for the reply to <paramref name="request"/> on shell (or control); null on timeout.</summary>
    public JupyterMessage? Reply(JupyterMessage request, TimeSpan timeout, bool control = false)
    {
        var socket = control ? _control : _shell;
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            var frames = socket.ReceiveMultipart((int)Math.Max(1, (timeout - deadline.Elapsed).TotalMilliseconds));
            if (frames is null) return null;
            var reply = JupyterMessage.FromFrames(frames, _signer);
            if (reply.ParentHeader["msg_id"]?.GetValue<string>() == request.MessageId) return reply;
        }
        return null;
    }

    /// <summary>Sends a request and waits for its reply, failing the test on timeout.</summary>
    public JupyterMessage Request(string msgType, JsonObject content, bool control = false, double timeoutSeconds = 30)
    {
        var request = Send(msgType, content, control);
        return Reply(request, TimeSpan.FromSeconds(timeoutSeconds), control)
               ?? throw new TimeoutException($"no reply to {msgType} within {timeoutSeconds} s");
    }

    /// <summary>iopub messages whose parent is <paramref name="request"/>, waiting until its <c>status: idle</c> arrives.</summary>
    public List<JupyterMessage> IopubUntilIdle(JupyterMessage request, double timeoutSeconds = 30)
    {
        var deadline = Stopwatch.StartNew();
        lock (_gate)
        {
            while (true)
            {
                var mine = _iopubMessages.Where(m => m.ParentHeader["msg_id"]?.GetValue<string>() == request.MessageId).ToList();
                if (mine.Any(m => m.MessageType == "status" && m.Content["execution_state"]?.GetValue<string>() == "idle")) return mine;
                var left = TimeSpan.FromSeconds(timeoutSeconds) - deadline.Elapsed;
                if (left <= TimeSpan.Zero) throw new TimeoutException($"no idle status for {request.MessageType} within {timeoutSeconds} s; got [{string.Join(", ", mine.Select(m => m.MessageType))}]");
                Monitor.Wait(_gate, left);
            }
        }
    }

    /// <summary>
    /// Sends <c>Console.WriteLine("started");</c> followed by <paramref name="code"/> and returns once "started" has
    /// arrived on iopub, i.e. the cell has compiled and is running, so that an interrupt sent next finds it running.
    /// </summary>
    public JupyterMessage StartCell(string code, int settleMs = 200)
    {
        var request = Send("execute_request", new JsonObject { ["code"] = "Console.WriteLine(\"started\"); " + code, ["silent"] = false });
        var deadline = Stopwatch.StartNew();
        lock (_gate)
        {
            while (!_iopubMessages.Any(m => m.MessageType == "stream" && m.ParentHeader["msg_id"]?.GetValue<string>() == request.MessageId))
            {
                var left = TimeSpan.FromSeconds(60) - deadline.Elapsed;
                if (left <= TimeSpan.Zero) throw new TimeoutException("the cell did not start: " + code);
                Monitor.Wait(_gate, left);
            }
        }
        Thread.Sleep(settleMs);
        return request;
    }

    /// <summary>Result of <see cref="Execute"/>: the reply and the cell's iopub messages.</summary>
    public sealed record Execution(JupyterMessage Reply, List<JupyterMessage> Iopub)
    {
        public string Status => Reply.Content["status"]!.GetValue<string>();
        public string Stdout => string.Concat(Iopub.Where(m => m.MessageType == "stream" && m.Content["name"]!.GetValue<string>() == "stdout").Select(m => m.Content["text"]!.GetValue<string>()));
        public string? ResultText => Iopub.FirstOrDefault(m => m.MessageType == "execute_result")?.Content["data"]?["text/plain"]?.GetValue<string>();
        public JupyterMessage? Error => Iopub.FirstOrDefault(m => m.MessageType == "error");
        public IEnumerable<string> Types => Iopub.Select(m => m.MessageType == "status" ? "status:" + m.Content["execution_state"] : m.MessageType);
    }

    /// <summary>Executes a cell and waits for its reply and idle status.</summary>
    public Execution Execute(string code, double timeoutSeconds = 30)
    {
        var request = Send("execute_request", new JsonObject
        {
            ["code"] = code, ["silent"] = false, ["store_history"] = true, ["user_expressions"] = new JsonObject(), ["allow_stdin"] = false, ["stop_on_error"] = true,
        });
        var reply = Reply(request, TimeSpan.FromSeconds(timeoutSeconds)) ?? throw new TimeoutException($"no execute_reply within {timeoutSeconds} s for: {code}");
        return new Execution(reply, IopubUntilIdle(request, timeoutSeconds));
    }

    /// <summary>
    /// Executes a cell with <c>allow_stdin: true</c>, answering each <c>input_request</c> with the next of
    /// <paramref name="answers"/> (when they run out, the cell is interrupted instead); returns the reply, the cell's
    /// iopub messages and the input requests received.
    /// </summary>
    public (Execution Run, List<JupyterMessage> InputRequests) ExecuteWithInput(string code, IReadOnlyList<string> answers, double timeoutSeconds = 30)
    {
        var request = Send("execute_request", new JsonObject
        {
            ["code"] = code, ["silent"] = false, ["store_history"] = true, ["user_expressions"] = new JsonObject(), ["allow_stdin"] = true, ["stop_on_error"] = true,
        });
        var inputRequests = new List<JupyterMessage>();
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed.TotalSeconds < timeoutSeconds)
        {
            if (_stdin.ReceiveMultipart(20) is { } frames)
            {
                var inputRequest = JupyterMessage.FromFrames(frames, _signer);
                inputRequests.Add(inputRequest);
                if (inputRequests.Count <= answers.Count)
                {
                    var reply = new JupyterMessage { Header = JupyterMessage.NewHeader("input_reply", _session, "test"), ParentHeader = inputRequest.Header, Content = new JsonObject { ["value"] = answers[inputRequests.Count - 1] } };
                    _stdin.SendMultipart(reply.ToFrames(_signer));
                }
                else
                {
                    Request("interrupt_request", new JsonObject(), control: true);
                }
            }
            if (Reply(request, TimeSpan.FromMilliseconds(20)) is { } executeReply) return (new Execution(executeReply, IopubUntilIdle(request, timeoutSeconds)), inputRequests);
        }
        throw new TimeoutException($"no execute_reply within {timeoutSeconds} s for: {code}");
    }

    /// <summary>Like jupyter_client's wait_for_ready: kernel_info until a reply arrives and iopub is connected (its status seen).</summary>
    public void WaitForReady(double timeoutSeconds = 30)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed.TotalSeconds < timeoutSeconds)
        {
            var request = Send("kernel_info_request", new JsonObject());
            if (Reply(request, TimeSpan.FromSeconds(2)) is null) continue;
            try { IopubUntilIdle(request, 0.5); return; }
            catch (TimeoutException) { } // SUB joined after the status was published: ask again
        }
        throw new TimeoutException($"kernel not ready within {timeoutSeconds} s");
    }

    /// <summary>One heartbeat round trip; true when the kernel echoed within the timeout.</summary>
    public bool Heartbeat(TimeSpan timeout)
    {
        _heartbeat.SendMultipart([[1, 2, 3]]);
        var echo = _heartbeat.ReceiveMultipart((int)timeout.TotalMilliseconds);
        return echo is { Count: 1 } && echo[0].SequenceEqual(new byte[] { 1, 2, 3 });
    }

    public void Dispose()
    {
        _stop.Cancel();
        _iopubThread.Join(2000);
        _shell.Dispose();
        _stdin.Dispose();
        _control.Dispose();
        _heartbeat.Dispose();
        _iopub.Dispose();
        _context.Dispose();
        _stop.Dispose();
    }
}
