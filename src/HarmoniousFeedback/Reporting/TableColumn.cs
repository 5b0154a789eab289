namespace HarmoniousFeedback.Reporting;

/// <summary>A column: header text and alignment.</summary>
public sealed record TableColumn(string Header, ColumnAlignment Alignment = ColumnAlignment.Left);
