using System.Text;
using HarmoniousFeedback.Pipeline.Views;

namespace HarmoniousFeedback.Pipeline.Registry;

/// <summary>The model and view registries as text (<c>hfb model list</c>) and as docs/models.md — generated, so the docs cannot drift.</summary>
public static class RegistryDocs
{
    public static string Markdown(ModelRegistry models, FeatureViewRegistry views)
    {
        var sb = new StringBuilder();
        sb.Append("# Models and feature views\n\n");
        sb.Append("Generated from the registries by `hfb model list --markdown` (a test keeps this file in step with the code). ");
        sb.Append("An experiment spec names a model by its type and sets its parameters under `\"params\"`; ");
        sb.Append("`hfb baseline <type> --param name=value` takes the same names. Adding a model or a view: docs/architecture.md, \"Adding a model\".\n\n");
        sb.Append("## Models\n\n");
        foreach (var k in models.Kinds)
        {
            var defaults = k.Configure(null).DefaultViews;
            sb.Append($"### `{k.Name}`\n\n{k.Summary}. Reads by default: {string.Join(", ", defaults.Select(v => $"`{v}`"))}.\n\n");
            AppendParameters(sb, k.Parameters);
        }
        sb.Append("## Feature views\n\n");
        foreach (var v in views.Views)
        {
            sb.Append($"### `{v.Name}`\n\n{v.Summary}.\n\n");
            AppendParameters(sb, v.Parameters);
        }
        return sb.ToString().TrimEnd('\n') + "\n";
    }

    private static void AppendParameters(StringBuilder sb, IReadOnlyList<ParameterInfo> parameters)
    {
        if (parameters.Count == 0) { sb.Append("No parameters.\n\n"); return; }
        sb.Append("| parameter | type | default | allowed | description |\n|---|---|---|---|---|\n");
        foreach (var p in parameters)
            sb.Append($"| `{p.Name}` | {p.Type} | {Cell(p.Default)} | {Cell(p.Allowed)} | {Cell(p.Description)} |\n");
        sb.Append('\n');
    }

    private static string Cell(string? s) => string.IsNullOrEmpty(s) ? "" : s.Replace("|", "\\|");

    public static string Text(ModelRegistry models, FeatureViewRegistry views)
    {
        var sb = new StringBuilder("models:\n");
        foreach (var k in models.Kinds)
        {
            sb.Append($"  {k.Name,-18} {k.Summary}\n");
            foreach (var p in k.Parameters)
                sb.Append($"      {p.Name,-20} {p.Type,-16} default {p.Default}{(p.Allowed is null ? "" : $"  ({p.Allowed})")}  {p.Description}\n");
        }
        sb.Append("feature views:\n");
        foreach (var v in views.Views)
        {
            sb.Append($"  {v.Name,-18} {v.Summary}\n");
            foreach (var p in v.Parameters)
                sb.Append($"      {p.Name,-20} {p.Type,-16} default {p.Default}{(p.Allowed is null ? "" : $"  ({p.Allowed})")}  {p.Description}\n");
        }
        return sb.ToString();
    }
}
