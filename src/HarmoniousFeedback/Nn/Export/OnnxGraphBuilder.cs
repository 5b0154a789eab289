using System.Globalization;

namespace HarmoniousFeedback.Nn.Export;

/// <summary>
/// Builds an <see cref="OnnxGraph"/>: graph inputs and outputs, nodes of the default ONNX domain with attributes,
/// initializers from tensors, and the element type and shape (with symbolic dims) of every value it knows. Modules add
/// themselves through <see cref="IOnnxExportable"/>; <see cref="Emit"/> runs a child under its state-dict name, so
/// initializers carry PyTorch names (<c>lstm.weight_ih_l0</c>, <c>fc.weight</c>) and node names the module path
/// (<c>/lstm/LSTM</c>) as <c>torch.onnx.export</c> writes them.
/// </summary>
/// <remarks>
/// The entry points are <see cref="Export"/> (a module or model with options) and, for hand-built graphs,
/// <see cref="AddInput"/> … <see cref="AddOutput"/> … <see cref="Build"/>. Serialising to protobuf is the job of the
/// <c>HarmoniousFeedback.Onnx</c> project; this type has no dependency.
/// </remarks>
public sealed partial class OnnxGraphBuilder
{
    private readonly List<OnnxNode> _nodes = new();
    private readonly List<OnnxTensor> _initializers = new();
    private readonly List<OnnxValueInfo> _inputs = new();
    private readonly List<OnnxValueInfo> _outputs = new();
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private readonly HashSet<string> _nodeNames = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (OnnxElementType Type, IReadOnlyList<OnnxDim>? Shape)> _meta = new(StringComparer.Ordinal);
    private readonly Dictionary<(Tensor, string), string> _tensorInitializers = new();
    private readonly Dictionary<string, string> _constants = new(StringComparer.Ordinal);
    private readonly Dictionary<(string, string, int), string> _masks = new();
    private readonly List<string> _scope = new();

    /// <summary>A builder for opset <paramref name="opset"/> (in [<see cref="OnnxGraph.MinOpset"/>, <see cref="OnnxGraph.MaxOpset"/>]).</summary>
    /// <exception cref="OnnxExportException">An unsupported opset.</exception>
    public OnnxGraphBuilder(int opset = 17)
    {
        OnnxGraph.IrVersionFor(opset); // validates
        Opset = opset;
    }

    /// <summary>Version of the default operator set the nodes must conform to (layers pick ops by it, e.g. <c>Gelu</c> from 20).</summary>
    public int Opset { get; }

    /// <summary>The dotted path of the module being emitted ("" at the top), e.g. <c>encoder.0</c>.</summary>
    public string Scope => string.Join(".", _scope.Where(s => s.Length > 0));

    /// <summary>Nodes added so far.</summary>
    public IReadOnlyList<OnnxNode> Nodes => _nodes;

    /// <summary>
    /// Exports <paramref name="network"/>: declares the inputs (<see cref="OnnxExportOptions.Inputs"/>, or the model's
    /// <see cref="IOnnxExportableModel.OnnxSignature"/>), emits the network at the top scope (initializer names are its
    /// state-dict keys) and names its outputs.
    /// </summary>
    /// <exception cref="OptionsValidationException">Invalid options.</exception>
    /// <exception cref="OnnxExportException">Missing input specifications, inputs that do not fit the model's signature, a wrong
    /// number of output names, or a part of the network ONNX cannot express (the message names it).</exception>
    public static OnnxGraph Export(IOnnxExportable network, OnnxExportOptions options)
    {
        ArgumentNullException.ThrowIfNull(network);
        options.Validate();
        var signature = (network as IOnnxExportableModel)?.OnnxSignature;
        var inputs = ResolveInputs(network, options, signature);
        var g = new OnnxGraphBuilder(options.Opset);
        var names = inputs.Select(i => i is null ? "" : g.AddInput(i)).ToArray();
        var outputs = network is Module m ? g.EmitTop(m, names) : network.ExportOnnx(g, names);
        var outputNames = options.OutputNames ?? signature?.Outputs
            ?? Enumerable.Range(0, outputs.Count).Select(i => i == 0 ? "output" : $"output_{i}").ToArray();
        if (outputNames.Count != outputs.Count)
            throw new OnnxExportException($"{network.GetType().Name} has {outputs.Count} outputs but {outputNames.Count} output names were given ({string.Join(", ", outputNames)})");
        for (int i = 0; i < outputs.Count; i++) g.AddOutput(outputs[i], outputNames[i]);
        var metadata = new List<KeyValuePair<string, string>> { new("source_type", network.GetType().FullName ?? network.GetType().Name) };
        if (signature is not null) metadata.AddRange(signature.Metadata);
        metadata.AddRange(options.Metadata);
        return g.Build(options.GraphName, metadata, options.DocString);
    }

    private static IReadOnlyList<OnnxValueInfo?> ResolveInputs(IOnnxExportable network, OnnxExportOptions options, OnnxSignature? signature)
    {
        if (signature is null)
            return options.Inputs ?? throw new OnnxExportException(
                $"{network.GetType().Name} has no fixed signature: give OnnxExportOptions.Inputs (name, element type, shape with symbolic dims such as \"batch\") for each input of its Forward");
        if (options.Inputs is null) return signature.Inputs;
        var problems = new List<string>();
        if (options.Inputs.Count != signature.Inputs.Count)
            problems.Add($"{options.Inputs.Count} inputs given, the model takes {signature.Inputs.Count} ({string.Join("; ", signature.Inputs)})");
        else
            for (int i = 0; i < options.Inputs.Count; i++)
            {
                var (given, own) = (options.Inputs[i], signature.Inputs[i]);
                if (given is null) continue; // an optional input left out; the model checks whether it may be
                if (given.ElementType != own.ElementType) problems.Add($"input {i} '{given.Name}' is {given.ElementType}, the model needs {own.ElementType}");
                if (given.Shape!.Count != own.Shape!.Count) problems.Add($"input {i} '{given.Name}' has rank {given.Shape.Count}, the model needs {OnnxDim.Format(own.Shape)}");
                else
                    for (int d = 0; d < own.Shape.Count; d++)
                        if (own.Shape[d].IsFixed && given.Shape[d] != own.Shape[d])
                            problems.Add($"input {i} '{given.Name}' dim {d} is {given.Shape[d]}, the model needs {own.Shape[d]}");
            }
        if (problems.Count > 0) throw new OnnxExportException($"{network.GetType().Name}: the given inputs do not fit the model: " + string.Join("; ", problems));
        return options.Inputs;
    }

    // ---------------------------------------------------------------- graph inputs and outputs

    /// <summary>Declares a graph input and returns its value name (= <see cref="OnnxValueInfo.Name"/>).</summary>
    /// <exception cref="OnnxExportException">The name is already used, or the input has no shape.</exception>
    public string AddInput(OnnxValueInfo input)
    {
        if (input.Shape is null) throw new OnnxExportException($"graph input '{input.Name}' needs a shape");
        Claim(input.Name, "graph input");
        _inputs.Add(input);
        _meta[input.Name] = (input.ElementType, input.Shape);
        return input.Name;
    }

    /// <summary>
    /// Makes <paramref name="value"/> a graph output named <paramref name="outputName"/> (an <c>Identity</c> node renames
    /// it when the names differ or the value is a graph input); its type and shape are the ones the builder knows.
    /// </summary>
    public void AddOutput(string value, string outputName)
    {
        RequireKnown(value, "graph output");
        var (type, shape) = TypeAndShape(value);
        string name = value;
        if (value != outputName || _inputs.Any(i => i.Name == value) || _outputs.Any(o => o.Name == value))
        {
            Claim(outputName, "graph output");
            AddNodeNamed("Identity", [value], [outputName], []);
            _meta[outputName] = (type, shape);
            name = outputName;
        }
        _outputs.Add(new OnnxValueInfo(name, type, shape));
    }

    /// <summary>The finished graph.</summary>
    /// <exception cref="OnnxExportException">No outputs were declared.</exception>
    public OnnxGraph Build(string name, IReadOnlyList<KeyValuePair<string, string>>? metadata = null, string? docString = null)
    {
        if (_outputs.Count == 0) throw new OnnxExportException($"graph '{name}' has no outputs");
        return new OnnxGraph(name, Opset, _nodes.ToArray(), _initializers.ToArray(), _inputs.ToArray(), _outputs.ToArray(), metadata ?? [], docString);
    }

    // ---------------------------------------------------------------- modules

    /// <summary>
    /// Emits child <paramref name="module"/> under the name <paramref name="name"/> (its state-dict prefix; "" keeps the
    /// current scope) with the given input value names, and returns its output value names.
    /// </summary>
    /// <exception cref="OnnxExportException">The module does not implement <see cref="IOnnxExportable"/> (the message names its path and type).</exception>
    public IReadOnlyList<string> Emit(Module module, string name, params string[] inputs)
    {
        ArgumentNullException.ThrowIfNull(module);
        _scope.Add(name);
        try
        {
            if (module is not IOnnxExportable e)
                throw new OnnxExportException(
                    $"module '{(Scope.Length == 0 ? "<root>" : Scope)}' ({module.GetType().Name}) has no ONNX export: it does not implement IOnnxExportable (docs/onnx.md lists the supported layers)");
            var outputs = e.ExportOnnx(this, inputs);
            foreach (var o in outputs) RequireKnown(o, $"output of {module.GetType().Name} at '{Scope}'");
            return outputs;
        }
        finally { _scope.RemoveAt(_scope.Count - 1); }
    }

    private IReadOnlyList<string> EmitTop(Module module, string[] inputs) => Emit(module, "", inputs);

    /// <summary>
    /// Checks a layer's positional inputs: between <paramref name="required"/> and <paramref name="required"/> +
    /// <paramref name="optional"/> names, the required ones non-empty and every given one a known value.
    /// <paramref name="signature"/> is shown in the error, e.g. <c>"LSTM(x, h0?, c0?, lengths?)"</c>.
    /// </summary>
    /// <exception cref="OnnxExportException">The inputs do not fit.</exception>
    public void CheckInputs(IReadOnlyList<string> inputs, int required, int optional, string signature)
    {
        string where = Scope.Length == 0 ? "" : $" at '{Scope}'";
        if (inputs.Count < required || inputs.Count > required + optional)
            throw new OnnxExportException($"{signature}{where} takes {required}{(optional > 0 ? $" to {required + optional}" : "")} inputs, got {inputs.Count} ({string.Join(", ", inputs.Select(i => i.Length == 0 ? "\"\"" : i))})");
        for (int i = 0; i < inputs.Count; i++)
        {
            if (inputs[i].Length == 0)
            {
                if (i < required) throw new OnnxExportException($"{signature}{where}: input {i} is required");
                continue;
            }
            RequireKnown(inputs[i], $"input {i} of {signature}{where}");
        }
    }

    /// <summary>
    /// Checks that dim <paramref name="axis"/> (negative counts from the end) of <paramref name="value"/> is
    /// <paramref name="expected"/> when the builder knows it; an unknown rank or symbolic dim passes (ONNX Runtime checks
    /// at run time).
    /// </summary>
    /// <exception cref="OnnxExportException">A known, different size.</exception>
    public void CheckDim(string value, int axis, int expected, string layer)
    {
        if (ShapeOf(value) is not { } s) return;
        int a = axis < 0 ? axis + s.Count : axis;
        if (a < 0 || a >= s.Count)
            throw new OnnxExportException($"{layer} at '{Scope}' needs dim {axis} of its input, but '{value}' has shape {OnnxDim.Format(s)}");
        if (s[a].IsFixed && s[a].Value != expected)
            throw new OnnxExportException($"{layer} at '{Scope}' needs size {expected} in dim {axis} of its input, but '{value}' has shape {OnnxDim.Format(s)}");
    }

    /// <summary>The export of a one-input element-wise layer: checks the inputs and adds one <paramref name="opType"/> node.</summary>
    public static IReadOnlyList<string> UnaryLayer(OnnxGraphBuilder graph, IReadOnlyList<string> inputs, string layer, string opType, params OnnxAttribute[] attributes)
    {
        graph.CheckInputs(inputs, 1, 0, layer + "(x)");
        return [graph.Unary(opType, inputs[0], attributes)];
    }

    /// <summary>Input <paramref name="index"/> if it was given (present and non-empty), else null.</summary>
    public static string? Optional(IReadOnlyList<string> inputs, int index) => index < inputs.Count && inputs[index].Length > 0 ? inputs[index] : null;

    // ---------------------------------------------------------------- nodes

    /// <summary>Adds a node with one output and returns the output's value name (<c>/scope/OpType_output_0</c>).</summary>
    public string Op(string opType, IReadOnlyList<string> inputs, params OnnxAttribute[] attributes) => Op(opType, inputs, 1, attributes)[0];

    /// <summary>Adds a node with <paramref name="outputCount"/> outputs and returns their value names.</summary>
    public IReadOnlyList<string> Op(string opType, IReadOnlyList<string> inputs, int outputCount, params OnnxAttribute[] attributes)
    {
        foreach (var i in inputs) if (i.Length > 0) RequireKnown(i, $"input of {opType}");
        var nodeName = UniqueNodeName(opType);
        var outputs = new string[outputCount];
        for (int k = 0; k < outputCount; k++)
        {
            outputs[k] = $"{nodeName}_output_{k}";
            Claim(outputs[k], "node output");
            _meta[outputs[k]] = (OnnxElementType.Float, null);
        }
        _nodes.Add(new OnnxNode(opType, nodeName, inputs.ToArray(), outputs, attributes));
        return outputs;
    }

    private void AddNodeNamed(string opType, string[] inputs, string[] outputs, OnnxAttribute[] attributes)
        => _nodes.Add(new OnnxNode(opType, UniqueNodeName(opType), inputs, outputs, attributes));

    private string UniqueNodeName(string opType)
    {
        var baseName = "/" + string.Join("/", _scope.Where(s => s.Length > 0).SelectMany(s => s.Split('.')).Append(opType));
        var name = baseName;
        for (int k = 1; !_nodeNames.Add(name); k++) name = $"{baseName}_{k}";
        return name;
    }

    // ---------------------------------------------------------------- initializers and constants

    /// <summary>
    /// Adds tensor <paramref name="t"/> as an initializer named <c>scope.localName</c> (its state-dict key when
    /// <paramref name="localName"/> is the module's own parameter name) and returns the name. The same tensor under the
    /// same name is added once (a module emitted twice shares its weights).
    /// </summary>
    public string Initializer(string localName, Tensor t)
    {
        var name = Scoped(localName);
        if (_tensorInitializers.TryGetValue((t, name), out var existing)) return existing;
        AddInitializer(OnnxTensor.Float(name, t.Data, t.Shape.Select(d => (long)d).ToArray()));
        _tensorInitializers[(t, name)] = name;
        return name;
    }

    /// <summary>
    /// Adds float data as an initializer named <c>scope.localName</c> (weights the exporter derives, e.g. the LSTM's
    /// reordered gates). Adding the same name again with identical dims and data returns the existing initializer.
    /// </summary>
    /// <exception cref="OnnxExportException">The name exists with other data.</exception>
    public string Initializer(string localName, ReadOnlySpan<float> data, params long[] dims)
    {
        var name = Scoped(localName);
        if (_initializers.FirstOrDefault(t => t.Name == name) is { } existing)
        {
            if (existing.FloatData is not null && existing.Dims.SequenceEqual(dims) && existing.FloatData.AsSpan().SequenceEqual(data)) return name;
            throw new OnnxExportException($"initializer '{name}' is added twice with different data");
        }
        AddInitializer(OnnxTensor.Float(name, data, dims));
        return name;
    }

    /// <summary>An int64 constant (shapes, axes, indices): a 1-D tensor, or a scalar when <paramref name="scalar"/> (one value). Equal constants are shared.</summary>
    public string Int64Constant(long[] values, bool scalar = false)
    {
        if (scalar && values.Length != 1) throw new OnnxExportException($"a scalar constant needs one value, got {values.Length}");
        var key = "i64" + (scalar ? "s" : "") + ":" + string.Join(",", values);
        if (_constants.TryGetValue(key, out var n)) return n;
        n = FreshName("const_i64");
        AddInitializer(OnnxTensor.Int64(n, values, scalar ? [] : [values.Length]));
        _meta[n] = (OnnxElementType.Int64, scalar ? [] : [values.Length]);
        return _constants[key] = n;
    }

    /// <summary>A float32 scalar constant (shared when equal).</summary>
    public string FloatConstant(float value)
    {
        var key = "f32:" + BitConverter.SingleToInt32Bits(value).ToString(CultureInfo.InvariantCulture);
        if (_constants.TryGetValue(key, out var n)) return n;
        n = FreshName("const_f32");
        AddInitializer(OnnxTensor.Float(n, [value]));
        return _constants[key] = n;
    }

    private void AddInitializer(OnnxTensor t)
    {
        Claim(t.Name, "initializer");
        _initializers.Add(t);
        _meta[t.Name] = (t.ElementType, t.Dims.Select(d => OnnxDim.Fixed(checked((int)d))).ToArray());
    }

    private string Scoped(string localName) => Scope.Length == 0 ? localName : Scope + "." + localName;

    private string FreshName(string prefix)
    {
        var name = prefix;
        for (int k = 1; _names.Contains(name); k++) name = $"{prefix}_{k}";
        return name;
    }

    private void Claim(string name, string what)
    {
        if (string.IsNullOrEmpty(name)) throw new OnnxExportException($"{what} needs a non-empty name");
        if (!_names.Add(name)) throw new OnnxExportException($"{what} '{name}': the name is already used in this graph");
    }

    private void RequireKnown(string value, string what)
    {
        if (!_names.Contains(value)) throw new OnnxExportException($"{what} '{value}' is not a value of this graph (not an input, initializer or node output)");
    }

    // ---------------------------------------------------------------- types and shapes

    /// <summary>The element type and shape the builder knows for <paramref name="value"/> (shape null = unknown rank).</summary>
    public (OnnxElementType Type, IReadOnlyList<OnnxDim>? Shape) TypeAndShape(string value)
        => _meta.TryGetValue(value, out var m) ? m : (OnnxElementType.Float, null);

    /// <summary>The known shape of <paramref name="value"/>, or null.</summary>
    public IReadOnlyList<OnnxDim>? ShapeOf(string value) => TypeAndShape(value).Shape;

    /// <summary>Records the element type and shape of a node output (layers call this for their outputs so graph outputs are typed and shaped).</summary>
    public void SetTypeAndShape(string value, OnnxElementType type, IReadOnlyList<OnnxDim>? shape)
    {
        RequireKnown(value, "value");
        _meta[value] = (type, shape);
    }

    /// <summary>Records the shape of a float node output.</summary>
    public void SetShape(string value, IReadOnlyList<OnnxDim>? shape) => SetTypeAndShape(value, OnnxElementType.Float, shape);

    /// <summary>The known rank of <paramref name="value"/>, or null.</summary>
    public int? RankOf(string value) => ShapeOf(value)?.Count;
}
