namespace HarmoniousFeedback.Pipeline;

public sealed record AudioType : ColumnType
{
    public override Type ClrType => typeof(Audio.AudioClip);
    public override string ToString() => "Audio";
}
