namespace HarmoniousFeedback.Pipeline.Registry;

/// <summary>Parses a JSON value into <typeparamref name="T"/>; false when the value is not acceptable.</summary>
public delegate bool TryParseJson<T>(System.Text.Json.JsonElement value, out T result);
