using HarmoniousFeedback.Features;
using HarmoniousFeedback.Models.Multimodal;
using HarmoniousFeedback.Nn;

namespace HarmoniousFeedback.Pipeline.Trainers;

/// <summary>Turns rows of a multi-input table (one value per modality) into standardised, zero-padded batch tensors.</summary>
internal static class ModalityBatches
{
    /// <summary>Input m of <paramref name="rows"/>: a sequence [B, T_max, F] with lengths, or a vector [B, F], z-scored by <paramref name="scaler"/>.</summary>
    public static ModalityInput Build(IReadOnlyList<object> values, IReadOnlyList<int> rows, ModalitySpec spec, FeatureStandardizer scaler)
    {
        int f = spec.Features, b = rows.Count;
        if (!spec.IsSequence)
        {
            var data = new float[b * f];
            for (int i = 0; i < b; i++)
            {
                var v = values[rows[i]] as float[] ?? throw new ShapeMismatchException($"input '{spec.Name}', row {rows[i]}: expected a vector [{f}], got a sequence");
                if (v.Length != f) throw new ShapeMismatchException($"input '{spec.Name}', row {rows[i]}: {v.Length} values, the model reads {f}");
                scaler.Apply(v, data.AsSpan(i * f, f));
            }
            return new ModalityInput(new Tensor(data, b, f), null);
        }
        int tMax = 1;
        foreach (var r in rows) tMax = Math.Max(tMax, ((values[r] as FeatureMatrix)?.Rows) ?? 0);
        var x = new float[b * tMax * f];
        var lengths = new int[b];
        for (int i = 0; i < b; i++)
        {
            var m = values[rows[i]] as FeatureMatrix ?? throw new ShapeMismatchException($"input '{spec.Name}', row {rows[i]}: expected a sequence [T × {f}], got a vector");
            if (m.Columns != f) throw new ShapeMismatchException($"input '{spec.Name}', row {rows[i]}: {m.Columns} features per step, the model reads {f}");
            if (m.Rows == 0) throw new DatasetException($"input '{spec.Name}', row {rows[i]} has an empty sequence (0 segments)");
            for (int t = 0; t < m.Rows; t++) scaler.Apply(m.Data.AsSpan(t * f, f), x.AsSpan((i * tMax + t) * f, f));
            lengths[i] = m.Rows;
        }
        return new ModalityInput(new Tensor(x, b, tMax, f), lengths);
    }

    /// <summary>The modality description of an input column's values (sequence or vector, feature count), checked consistent across rows.</summary>
    public static ModalitySpec Describe(string name, IReadOnlyList<object> values)
    {
        bool seq = values[0] is FeatureMatrix;
        int f = values[0] is FeatureMatrix m0 ? m0.Columns : ((float[])values[0]).Length;
        for (int r = 0; r < values.Count; r++)
        {
            int fr = values[r] switch { FeatureMatrix m => m.Columns, float[] v => v.Length, _ => -1 };
            if ((values[r] is FeatureMatrix) != seq || fr != f)
                throw new ShapeMismatchException($"input '{name}': row {r} has {fr} features ({(values[r] is FeatureMatrix ? "sequence" : "vector")}), row 0 has {f} ({(seq ? "sequence" : "vector")})");
            if (values[r] is FeatureMatrix { Rows: 0 }) throw new DatasetException($"input '{name}': row {r} has an empty sequence (0 segments)");
        }
        if (f == 0) throw new ShapeMismatchException($"input '{name}' has 0 features");
        return new ModalitySpec(name, seq, f);
    }
}
