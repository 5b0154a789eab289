namespace HarmoniousFeedback.Pipeline;

/// <summary>A dense row-major float32 tensor value stored in a <see cref="TensorType"/> column (e.g. a [1, 128, T] spectrogram).</summary>
public sealed record TensorValue(float[] Data, int[] Shape)
{
    public static TensorValue Create(float[] data, params int[] shape)
    {
        long n = 1;
        foreach (var s in shape) n *= s;
        if (n != data.Length) throw new ShapeMismatchException($"tensor data has {data.Length} values but shape [{string.Join(", ", shape)}] needs {n}");
        return new TensorValue(data, shape);
    }
}
