namespace HarmoniousFeedback.Nn.Export;

/// <summary>
/// How to export a network to ONNX (the arguments of PyTorch's <c>torch.onnx.export</c>: <c>opset_version</c>,
/// <c>input_names</c>, <c>output_names</c>, <c>dynamic_axes</c> — here a dynamic axis is a symbolic
/// <see cref="OnnxDim"/> such as <c>"batch"</c>).
/// </summary>
public sealed record OnnxExportOptions
{
    /// <summary>Version of the default ONNX operator set, in [<see cref="OnnxGraph.MinOpset"/>, <see cref="OnnxGraph.MaxOpset"/>]. Default 17.</summary>
    public int Opset { get; init; } = 17;

    /// <summary>
    /// Graph inputs in the order the network takes them (its <c>Forward</c>'s tensor parameters): names, element types
    /// and shapes (symbolic dims are dynamic axes); a null entry leaves an optional input out (e.g. an LSTM's h0 and c0 in
    /// <c>[x, null, null, lengths]</c>). Required for a plain module; an <see cref="IOnnxExportableModel"/> supplies its
    /// own when null (given inputs then override its names and dims and must match its count and element types).
    /// </summary>
    public IReadOnlyList<OnnxValueInfo?>? Inputs { get; init; }

    /// <summary>Names of the graph outputs, one per network output. Null: the model's own names, or <c>output</c>, <c>output_1</c>, … for a module.</summary>
    public IReadOnlyList<string>? OutputNames { get; init; }

    /// <summary>The graph's name (ONNX <c>GraphProto.name</c>).</summary>
    public string GraphName { get; init; } = "harmonious_feedback";

    /// <summary>Free text stored as the model's <c>doc_string</c>.</summary>
    public string? DocString { get; init; }

    /// <summary>Extra <c>metadata_props</c> entries (added after the model's own).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Metadata { get; init; } = [];

    /// <summary>Checks every option and throws once listing all problems.</summary>
    /// <exception cref="OptionsValidationException">Opset out of range, empty or duplicate names, an input without a shape.</exception>
    public void Validate()
    {
        var v = new OptionsValidator(nameof(OnnxExportOptions));
        v.InRange(nameof(Opset), Opset, OnnxGraph.MinOpset, OnnxGraph.MaxOpset);
        v.Check(!string.IsNullOrWhiteSpace(GraphName), "GraphName must not be empty");
        if (Inputs is not null)
        {
            v.Check(Inputs.Any(i => i is not null), "Inputs has no input (every entry is null)");
            foreach (var i in Inputs.OfType<OnnxValueInfo>())
            {
                v.Check(!string.IsNullOrWhiteSpace(i.Name), $"input {i} has an empty name");
                v.Check(i.Shape is not null, $"input '{i.Name}' needs a shape (use symbolic dims such as \"batch\" for dynamic axes)");
            }
            foreach (var d in Inputs.OfType<OnnxValueInfo>().GroupBy(i => i.Name, StringComparer.Ordinal).Where(g => g.Count() > 1))
                v.Check(false, $"input name '{d.Key}' is used {d.Count()} times");
        }
        if (OutputNames is not null)
        {
            foreach (var o in OutputNames) v.Check(!string.IsNullOrWhiteSpace(o), "output names must not be empty");
            foreach (var d in OutputNames.GroupBy(o => o, StringComparer.Ordinal).Where(g => g.Count() > 1))
                v.Check(false, $"output name '{d.Key}' is used {d.Count()} times");
            if (Inputs is not null)
                foreach (var o in OutputNames.Where(o => Inputs.Any(i => i?.Name == o)))
                    v.Check(false, $"output name '{o}' is also an input name");
        }
        v.ThrowIfAny();
    }
}
