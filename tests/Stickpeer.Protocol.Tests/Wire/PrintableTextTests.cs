// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Stickpeer.Protocol.Text;

namespace Stickpeer.Protocol.Tests.Wire;

/// <summary>Peer-chosen free text (certificate subjects) in a log line: no control character survives.</summary>
public sealed class PrintableTextTests
{
    [Theory]
    [InlineData("CN=peers, O=Example", "CN=peers, O=Example")]
    [InlineData("CN=café", "CN=café")]
    [InlineData("CN=a\nINFO forged\r", @"CN=a\x0aINFO forged\x0d")]
    [InlineData("CN=\u001b[2Kx\u0085", @"CN=\x1b[2Kx\u0085")]
    [InlineData(@"CN=back\slash", @"CN=back\\slash")]
    public void EscapeControls_KeepsNamesReadable_EscapesControls(string subject, string expected)
    {
        Assert.Equal(expected, PrintableText.EscapeControls(subject));
    }

    [Fact]
    public void NeedsEscape_IsTrueExactlyWhenEscapeChangesTheText()
    {
        var random = new Random(20261206);
        const string Alphabet = "ab=\\ ~!\t\né\u0000\u007fZ09[]";
        for (var i = 0; i < 2000; i++)
        {
            var text = new string(Enumerable.Range(0, random.Next(0, 8)).Select(_ => Alphabet[random.Next(Alphabet.Length)]).ToArray());
            var escaped = PrintableText.Escape(System.Text.Encoding.UTF8.GetBytes(text));

            Assert.Equal(escaped != text, PrintableText.NeedsEscape(text));
        }
    }
}
