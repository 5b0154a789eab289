using System.Text.Json;
using HarmoniousFeedback.Nn;

namespace HarmoniousFeedback.Tests.Nn;

/// <summary>One PyTorch parity case from <c>../shared/anchors/nn</c> (format: the anchors README).</summary>
public sealed class AnchorCase
{
    public string Name { get; }
    public JsonElement Root { get; }
    public double Rtol { get; }
    public double Atol { get; }
    private readonly List<string> _failures = new();
    public int Compared { get; private set; }

    public AnchorCase(string name)
    {
        Name = name;
        var path = TestPaths.Shared("anchors", "nn", name + ".json");
        Root = JsonDocument.Parse(File.ReadAllText(path)).RootElement;
        var tol = Root.GetProperty("tolerance");
        Rtol = tol.GetProperty("rtol").GetDouble();
        Atol = tol.GetProperty("atol").GetDouble();
    }

    public static IEnumerable<string> IndexCases()
    {
        var idx = JsonDocument.Parse(File.ReadAllText(TestPaths.Shared("anchors", "nn", "index.json"))).RootElement;
        return idx.GetProperty("cases").EnumerateArray().Select(c => c.GetProperty("case").GetString()!).ToList();
    }

    public JsonElement Config => Root.GetProperty("config");
    public int ConfigInt(string key) => Config.GetProperty(key).GetInt32();

    public static int[] ShapeOf(JsonElement t) => t.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()).ToArray();
    public static double[] DataOf(JsonElement t) => t.ValueKind == JsonValueKind.Number ? [t.GetDouble()] : t.GetProperty("data").EnumerateArray().Select(e => e.GetDouble()).ToArray();

    public static Tensor ToTensor(JsonElement t, bool requiresGrad = false)
    {
        var d = DataOf(t).Select(v => (float)v).ToArray();
        var x = new Tensor(d, ShapeOf(t));
        if (requiresGrad) x.RequiresGrad = true;
        return x;
    }

    public bool HasInput(string name) => Root.TryGetProperty("inputs", out var i) && i.TryGetProperty(name, out _);
    public bool InputNeedsGrad(string name) => Root.TryGetProperty("grads", out var g) && g.TryGetProperty(name, out _);

    /// <summary>An input as a tensor; it requires grad when the case lists a gradient for it.</summary>
    public Tensor Input(string name) => ToTensor(Root.GetProperty("inputs").GetProperty(name), InputNeedsGrad(name));
    public long[] LongInput(string name) => DataOf(Root.GetProperty("inputs").GetProperty(name)).Select(v => (long)v).ToArray();
    public Tensor Param(string name) => ToTensor(Root.GetProperty("params").GetProperty(name));

    public Dictionary<string, Tensor> Params(string prefix = "") =>
        Root.GetProperty("params").EnumerateObject().ToDictionary(p => p.Name.Substring(prefix.Length), p => ToTensor(p.Value));

    public Dictionary<string, Tensor> Buffers(string key = "buffers") =>
        Root.GetProperty(key).EnumerateObject().ToDictionary(p => p.Name, p => ToTensor(p.Value));

    /// <summary>Loads params (and buffers when present) into <paramref name="m"/> with strict key checking.</summary>
    public void LoadInto(Module m)
    {
        var sd = Params();
        if (Root.TryGetProperty("buffers", out _)) foreach (var (k, v) in Buffers()) sd[k] = v;
        m.LoadStateDict(sd, strict: true);
    }

    /// <summary>Compares <paramref name="actual"/> with the reference tensor element-wise: |a−b| ≤ atol + rtol·|b|.</summary>
    public void Check(string what, ReadOnlySpan<float> actual, JsonElement reference)
    {
        var b = DataOf(reference);
        Compared++;
        if (actual.Length != b.Length) { _failures.Add($"{what}: {actual.Length} values vs reference {b.Length}"); return; }
        double worst = 0; int worstAt = -1;
        for (int i = 0; i < b.Length; i++)
        {
            double err = Math.Abs(actual[i] - b[i]);
            double allowed = Atol + Rtol * Math.Abs(b[i]);
            if (!(err <= allowed) && (worstAt < 0 || err / allowed > worst)) { worst = err / allowed; worstAt = i; }
        }
        if (worstAt >= 0) _failures.Add($"{what}[{worstAt}]: engine {actual[worstAt]:R} vs reference {b[worstAt]:R} ({worst:F1}× the tolerance)");
    }

    public void CheckShape(string what, Tensor t, JsonElement reference)
    {
        var s = ShapeOf(reference);
        if (!t.Shape.SequenceEqual(s)) _failures.Add($"{what}: shape {Tensor.ShapeString(t.Shape)} vs reference {Tensor.ShapeString(s)}");
        else Check(what, t.Data, reference);
    }

    public void CheckScalar(string what, double actual, JsonElement reference) => Check(what, new[] { (float)actual }, reference);

    /// <summary>
    /// Standard layer recipe: compare outputs, build the loss (weighted_sum or output), compare it, backpropagate,
    /// compare every listed gradient (inputs from <paramref name="inputs"/>, params from <paramref name="parameters"/>).
    /// </summary>
    public void RunForwardBackward(IReadOnlyDictionary<string, Tensor> outputs, IReadOnlyDictionary<string, Tensor> inputs, IReadOnlyDictionary<string, Tensor> parameters)
    {
        foreach (var o in Root.GetProperty("outputs").EnumerateObject())
        {
            if (!outputs.TryGetValue(o.Name, out var t)) { _failures.Add($"output {o.Name} not produced"); continue; }
            CheckShape("outputs." + o.Name, t, o.Value);
        }
        var lossSpec = Root.GetProperty("loss");
        Tensor loss;
        if (lossSpec.GetProperty("kind").GetString() == "weighted_sum")
        {
            Tensor? acc = null;
            foreach (var term in lossSpec.GetProperty("terms").EnumerateArray())
            {
                var o = outputs[term.GetProperty("output").GetString()!];
                var r = ToTensor(Root.GetProperty("inputs").GetProperty(term.GetProperty("r").GetString()!));
                var s = (o * r).Sum();
                acc = acc is null ? s : acc + s;
            }
            loss = acc!;
        }
        else loss = outputs[lossSpec.GetProperty("output").GetString()!];
        CheckScalar("loss", loss.Item(), lossSpec.GetProperty("value"));
        loss.Backward();
        foreach (var g in Root.GetProperty("grads").EnumerateObject())
        {
            Tensor? src = inputs.TryGetValue(g.Name, out var x) ? x : parameters.TryGetValue(g.Name, out var p) ? p : null;
            if (src is null) { _failures.Add($"no tensor for gradient {g.Name}"); continue; }
            if (src.Grad is null) { _failures.Add($"grads.{g.Name}: no gradient was computed"); continue; }
            CheckShape("grads." + g.Name, src.Grad, g.Value);
        }
    }

    public void AddFailure(string f) => _failures.Add(f);

    /// <summary>Throws listing every mismatch.</summary>
    public void AssertAllPassed()
    {
        if (Compared == 0) throw new Xunit.Sdk.XunitException($"{Name}: nothing was compared");
        if (_failures.Count > 0) throw new Xunit.Sdk.XunitException($"{Name} (rtol {Rtol}, atol {Atol}):\n  " + string.Join("\n  ", _failures));
    }
}
