using HarmoniousFeedback.Nn;

namespace HarmoniousFeedback.Pipeline.Trainers;

/// <summary>A network's state dict in the model format: count, then (name, shape, float32 values) in ordinal name order.</summary>
public static class NetworkState
{
    public static void Write(ModelWriter writer, Module net)
    {
        var state = net.StateDict();
        writer.Write(state.Count);
        foreach (var (name, t) in state.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            writer.Write(name);
            writer.Write(t.Shape.ToArray());
            writer.Write(t.Data.ToArray());
        }
    }

    /// <summary>Reads a state dict written by <see cref="Write"/> into <paramref name="net"/> (strict: every key, every shape); puts it in eval mode.</summary>
    public static void Read(ModelReader reader, Module net, string what)
    {
        int n = reader.ReadInt32();
        var state = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        for (int i = 0; i < n; i++)
        {
            var name = reader.ReadString();
            var shape = reader.ReadInt32Array();
            state[name] = Tensor.FromArray(reader.ReadSingleArray(), shape);
        }
        try { net.LoadStateDict(state); }
        catch (Exception e) when (e is ArgumentException or ShapeMismatchException or KeyNotFoundException)
        {
            throw new CheckpointException($"{reader.Source}: {what} weights do not fit the architecture: {e.Message}", e);
        }
        net.Eval();
    }
}
