using HarmoniousFeedback.Features.Text;
using Xunit;

namespace HarmoniousFeedback.Tests.Features.Text;

public class TextTokenizerTests
{
    [Fact]
    public void Gpt2_ids_match_the_published_encoding()
    {
        // GPT-2 BPE: "Hello world" → [15496, 995] (OpenAI tiktoken get_encoding("gpt2"), the standard example).
        Assert.Equal(new[] { 15496, 995 }, TextTokenizer.Gpt2.Encode("Hello world"));
    }

    [Fact]
    public void Tokenisation_round_trips_mixed_script_text_exactly()
    {
        const string t = "\"Fighting Spirit\" - Inspirational Piano Music\n피아노, 鋼琴版, música triste 🎹\nhttp://bit.ly/x";
        var ids = TextTokenizer.Gpt2.Encode(t);
        Assert.All(ids, id => Assert.InRange(id, 0, TextTokenizer.Gpt2VocabularySize - 1));
        Assert.Equal(t, TextTokenizer.Gpt2.Decode(ids));
        Assert.Empty(TextTokenizer.Gpt2.Encode(null));
        Assert.Empty(TextTokenizer.Gpt2.Encode(""));
    }

    [Fact]
    public void Masking_replaces_every_emotion_word_by_one_mask_token()
    {
        const string t = "Sad Piano Music - relaxing, CALM & peaceful; happiness for sleep 잔잔한피아노 (sadistic)";
        var ids = TextTokenizer.Gpt2.Encode(t, EmotionMasking.Core);
        var decoded = TextTokenizer.Gpt2.Decode(ids);
        Assert.Equal(6, ids.Count(i => i == TextTokenizer.MaskId)); // Sad, relaxing, CALM, peaceful, happiness, 잔잔한
        Assert.Equal("[MASK] Piano Music - [MASK], [MASK] & [MASK]; [MASK] for sleep [MASK]피아노 (sadistic)", decoded);
        Assert.Empty(EmotionLexicon.Find(decoded, EmotionMasking.Core)); // nothing left to find
        var ext = TextTokenizer.Gpt2.Decode(TextTokenizer.Gpt2.Encode(t, EmotionMasking.Extended));
        Assert.DoesNotContain("sleep", ext, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("sadistic", ext, StringComparison.Ordinal); // whole words only
        Assert.Equal(t, TextTokenizer.Gpt2.Decode(TextTokenizer.Gpt2.Encode(t, EmotionMasking.None)));
    }

    [Fact]
    public void The_extended_lexicon_contains_the_core_and_both_are_lower_case_and_distinct()
    {
        Assert.Subset(EmotionLexicon.Extended.ToHashSet(), EmotionLexicon.Core.ToHashSet());
        Assert.True(EmotionLexicon.Extended.Count > EmotionLexicon.Core.Count);
        Assert.All(EmotionLexicon.Extended, w => Assert.Equal(w.ToLowerInvariant(), w));
        Assert.Equal(EmotionLexicon.Extended.Count, EmotionLexicon.Extended.Distinct().Count());
        Assert.True(EmotionLexicon.IsEmotionWord("Happy", EmotionMasking.Core));
        Assert.False(EmotionLexicon.IsEmotionWord("happy", EmotionMasking.None));
        Assert.Contains((0, 4), EmotionLexicon.Find("love's theme", EmotionMasking.Core)); // possessive: the stem
    }

    [Fact]
    public void Vocabulary_keeps_frequent_training_tokens_and_maps_the_rest_to_unk()
    {
        int[][] train = [[5, 5, 7, TextTokenizer.MaskId], [7, 9, 5], [11]];
        var v = TextVocabulary.Fit(train, new TextVocabularyOptions { MinFreq = 2, MaxLength = 4 });
        // counts: 5 ×3, 7 ×2, 9 ×1, 11 ×1 → kept 5 (id 3), 7 (id 4)
        Assert.Equal(new[] { 5, 7 }, v.RawIds);
        Assert.Equal(5, v.Count);
        Assert.Equal(new[] { 3, 4, TextVocabulary.MaskIdInVocabulary, TextVocabulary.UnkId }, v.Encode([5, 7, TextTokenizer.MaskId, 9, 5]));
        var (ids, len) = v.EncodePadded([7]);
        Assert.Equal(new[] { 4, 0, 0, 0 }, ids);
        Assert.Equal(1, len);
        Assert.Equal(7, v.RawIdOf(4));

        using var ms = new MemoryStream();
        v.Save(ms);
        ms.Position = 0;
        var back = TextVocabulary.Load(ms);
        Assert.Equal(v.RawIds, back.RawIds);
        Assert.Equal(v.Options, back.Options);
        Assert.Throws<CheckpointException>(() => TextVocabulary.Load(new MemoryStream([1, 2, 3])));
        Assert.Throws<FeatureParameterException>(() => TextVocabulary.Fit(train, new TextVocabularyOptions { MinFreq = 0 }));
    }
}
