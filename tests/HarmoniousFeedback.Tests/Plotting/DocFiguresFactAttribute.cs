using Xunit;

namespace HarmoniousFeedback.Tests.Plotting;

/// <summary>Regenerates docs/figures/*.png; runs only with HFB_WRITE_DOC_FIGURES=1 (it writes into the repository).</summary>
public sealed class DocFiguresFactAttribute : FactAttribute
{
    public DocFiguresFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("HFB_WRITE_DOC_FIGURES") != "1") Skip = "writes docs/figures; set HFB_WRITE_DOC_FIGURES=1 to regenerate them";
        else if (!RsvgFactAttribute.Available) Skip = "needs rsvg-convert (apt-get install librsvg2-bin)";
    }
}
