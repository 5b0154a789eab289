namespace HarmoniousFeedback.Reporting;

/// <summary>One cell: its text and whether it is emphasised (bold: the best value of a column).</summary>
public sealed record TableCell(string Text, bool Bold = false)
{
    public static implicit operator TableCell(string text) => new(text);
    public override string ToString() => Text;
}
