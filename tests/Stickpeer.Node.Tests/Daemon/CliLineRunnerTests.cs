// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Buffers;
using System.Text;
using Stickpeer.Admin;
using Stickpeer.Daemon.Hosting;
using Stickpeer.Node.Tests.Admin;

namespace Stickpeer.Node.Tests.Daemon;

/// <summary>The stats socket's batches: every complete line of a read, run in order from the bytes received.</summary>
public sealed class CliLineRunnerTests
{
    private readonly CliTestNode _node = new();

    [Fact]
    public void Run_LineSplitAcrossReads_WaitsForItsNewlineThenRunsIt()
    {
        var runner = Runner(interactive: true);
        var output = new StringBuilder();
        var received = "set table mesh/t1 key 1.1.1.1 data.gpc0 1\nset table mesh/t1 key 2.2.";

        var buffer = new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes(received));
        Assert.False(runner.Run(ref buffer, final: false, output));

        Assert.Equal("\n> ", output.ToString());
        Assert.Equal("set table mesh/t1 key 2.2.", Encoding.ASCII.GetString(buffer));

        // The next read: the rest of the line, its newline and half of a third line, in three segments.
        buffer = Segments(Encoding.ASCII.GetString(buffer), "2.2 data.gpc0 2", "\nset table mesh/t1 key 3.3.3.3");
        Assert.False(runner.Run(ref buffer, final: false, output));

        Assert.Equal("\n> \n> ", output.ToString());
        Assert.Equal("set table mesh/t1 key 3.3.3.3", Encoding.ASCII.GetString(buffer));
        Assert.Contains("used:2", _node.Run("show table mesh/t1"), StringComparison.Ordinal);
    }

    [Fact]
    public void Run_NewlineAtASegmentBoundary_AndALineAcrossSegments_RunOnce()
    {
        var runner = Runner(interactive: true);
        var output = new StringBuilder();

        // The second line is not ASCII: it takes the general path, decoded from two segments.
        var buffer = Segments("set table mesh/t1 key 1.1.1.1 data.gp", "c0 7\n", "set table mesh/ts key a\u00e9", "b data.gpt 1\n");
        Assert.False(runner.Run(ref buffer, final: false, output));

        Assert.True(buffer.IsEmpty);
        Assert.Equal("\n> \n> ", output.ToString());
        Assert.Contains("gpc0=7", _node.Run("show table mesh/t1"), StringComparison.Ordinal);
        Assert.Contains("used:1", _node.Run("show table mesh/ts"), StringComparison.Ordinal);
        Assert.Equal("\n", _node.Run("clear table mesh/ts key a\u00e9b"));
        Assert.Contains("used:0", _node.Run("show table mesh/ts"), StringComparison.Ordinal);
    }

    [Fact]
    public void Run_ErrorsMidBatch_AreAnsweredInOrder_AndTheOtherLinesApplied()
    {
        var runner = Runner(interactive: true);
        var output = new StringBuilder();

        var buffer = Segments(
            "set table mesh/t1 key 1.1.1.1 data.gpc0 1\r\n",
            "set table mesh/t1 key 2.2.2.2 data.gpc0 x\n",
            "set table mesh/nosuch key 3.3.3.3\n",
            "set table mesh/t1 key 4.4.4.4 data.gpc0 4\n");
        Assert.False(runner.Run(ref buffer, final: false, output));

        Assert.Equal("\n> Require a valid integer value to store\n\n> No such table\n\n> \n> ", output.ToString());
        var shown = _node.Run("show table mesh/t1");
        Assert.Contains("used:2", shown, StringComparison.Ordinal);
        Assert.Contains("key=1.1.1.1 ", shown, StringComparison.Ordinal);
        Assert.Contains("key=4.4.4.4 ", shown, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_Quit_DropsTheLinesAfterIt()
    {
        var runner = Runner(interactive: true);
        var output = new StringBuilder();

        var buffer = Segments("set table mesh/t1 key 1.1.1.1 data.gpc0 1\nquit\nset table mesh/t1 key 2.2.2.2 data.gpc0 2\n");
        Assert.True(runner.Run(ref buffer, final: false, output));

        Assert.Equal("\n> ", output.ToString());
        Assert.Contains("used:1", _node.Run("show table mesh/t1"), StringComparison.Ordinal);
    }

    [Fact]
    public void Run_NotInteractive_AnswersTheFirstLineAndCloses()
    {
        var runner = Runner(interactive: false);
        var output = new StringBuilder();

        var buffer = Segments("set table mesh/t1 key 1.1.1.1 data.gpc0 1\nset table mesh/t1 key 2.2.2.2 data.gpc0 2\n");
        Assert.True(runner.Run(ref buffer, final: false, output));

        Assert.Equal("\n", output.ToString());
        Assert.Contains("used:1", _node.Run("show table mesh/t1"), StringComparison.Ordinal);
    }

    [Fact]
    public void Run_Final_RunsALastLineWithoutItsNewline()
    {
        var runner = Runner(interactive: false);
        var output = new StringBuilder();

        var buffer = Segments("set table mesh/t1 key 1.1.", "1.1 data.gpc0 1");
        Assert.False(CliLineRunner.HasLine(buffer, final: false));
        Assert.True(CliLineRunner.HasLine(buffer, final: true));
        Assert.True(runner.Run(ref buffer, final: true, output));

        Assert.True(buffer.IsEmpty);
        Assert.Equal("\n", output.ToString());
        Assert.Contains("used:1", _node.Run("show table mesh/t1"), StringComparison.Ordinal);
    }

    private CliLineRunner Runner(bool interactive)
    {
        var session = new CliSession(_node.Context, CliLevel.Admin);
        if (interactive)
        {
            session.Execute("prompt");
        }

        return new CliLineRunner(session);
    }

    // The text as UTF-8, one segment per part (Latin-1 escapes in the parts stand for their code points).
    private static ReadOnlySequence<byte> Segments(params string[] parts)
    {
        Segment? first = null;
        Segment? last = null;
        foreach (var part in parts)
        {
            var segment = new Segment(Encoding.UTF8.GetBytes(part), last);
            first ??= segment;
            last = segment;
        }

        return new ReadOnlySequence<byte>(first!, 0, last!, last!.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(byte[] bytes, Segment? previous)
        {
            Memory = bytes;
            if (previous is not null)
            {
                RunningIndex = previous.RunningIndex + previous.Memory.Length;
                previous.Next = this;
            }
        }
    }
}
