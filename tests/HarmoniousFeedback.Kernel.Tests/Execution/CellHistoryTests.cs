using System.Text.Json.Nodes;
using HarmoniousFeedback.Kernel.Execution;
using Xunit;

namespace HarmoniousFeedback.Kernel.Tests.Execution;

/// <summary><see cref="CellHistory"/> answers history_request as IPython's kernel does, from this session's cells.</summary>
public sealed class CellHistoryTests
{
    private static CellHistory Sample()
    {
        var history = new CellHistory();
        history.Add(1, "var tempo = 120;", null);
        history.Add(2, "tempo * 2", "240");
        history.Add(3, "Console.WriteLine(tempo);", null);
        history.Add(4, "tempo * 2", "240");
        history.Add(5, "tempo / 2", "60");
        return history;
    }

    private static string Query(CellHistory history, string json) => history.Query(JsonNode.Parse(json)!.AsObject()).ToJsonString();

    [Fact]
    public void Tail_returns_the_last_n_inputs_with_outputs_when_asked()
    {
        var history = Sample();
        Assert.Equal("[[1,4,\"tempo * 2\"],[1,5,\"tempo / 2\"]]", Query(history, """{"hist_access_type": "tail", "n": 2}"""));
        Assert.Equal("[[1,1,[\"var tempo = 120;\",null]],[1,2,[\"tempo * 2\",\"240\"]]]", Query(history, """{"hist_access_type": "range", "session": 0, "start": 1, "stop": 3, "output": true}"""));
    }

    [Fact]
    public void Range_reads_the_current_session_by_0_or_its_number_and_nothing_of_earlier_ones()
    {
        var history = Sample();
        Assert.Equal("[[1,3,\"Console.WriteLine(tempo);\"]]", Query(history, """{"hist_access_type": "range", "session": 1, "start": 3, "stop": 4}"""));
        Assert.Equal("[]", Query(history, """{"hist_access_type": "range", "session": -1, "start": 1, "stop": 4}"""));
    }

    [Fact]
    public void Search_matches_a_glob_over_the_whole_input_with_n_and_unique()
    {
        var history = Sample();
        Assert.Equal("[[1,2,\"tempo * 2\"],[1,4,\"tempo * 2\"],[1,5,\"tempo / 2\"]]", Query(history, """{"hist_access_type": "search", "pattern": "tempo ? 2"}"""));
        Assert.Equal("[[1,4,\"tempo * 2\"],[1,5,\"tempo / 2\"]]", Query(history, """{"hist_access_type": "search", "pattern": "tempo*", "unique": true, "n": 2}"""));
        Assert.Equal("[[1,5,\"tempo / 2\"]]", Query(history, """{"hist_access_type": "search", "pattern": "tempo [/] 2"}"""));
        Assert.Equal("[[1,3,\"Console.WriteLine(tempo);\"]]", Query(history, """{"hist_access_type": "search", "pattern": "Console.*(*);"}"""));
        Assert.Equal("[]", Query(history, """{"hist_access_type": "search", "pattern": "tempo"}""")); // the whole input must match
    }
}
