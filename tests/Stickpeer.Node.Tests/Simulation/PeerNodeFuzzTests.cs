// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Node.Tests.Simulation;

/// <summary>Bounded runs of <see cref="PeerNodeFuzzTarget"/> (random, structured and mutated-real inputs).</summary>
public sealed class PeerNodeFuzzTests
{
    [Fact]
    [Trait("Category", "Fuzz")]
    public void Fuzz_RandomAndMutatedStreams_NeverThrowAndCloseWithErrorCodes()
    {
        var count = int.TryParse(Environment.GetEnvironmentVariable("STICKPEER_FUZZ_INPUTS"), System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : 3000;
        var rnd = new Random(20261126);
        var lessons = Enumerable.Range(0, 4).Select(i => PeerNodeFuzzTarget.LessonStream(30 + (i * 20), i)).ToArray();
        Assert.All(lessons, l => Assert.True(l.Length > 200, "the corpus lesson should contain DEFINEs and updates"));
        for (var i = 0; i < count; i++)
        {
            var input = Generate(rnd, lessons);
            try
            {
                PeerNodeFuzzTarget.Fuzz(input);
            }
            catch (Exception ex)
            {
                Assert.Fail($"input #{i} ({input.Length} bytes) failed: {ex.Message}\n{Convert.ToHexString(input)}\n{ex}");
            }
        }
    }

    [Fact]
    public void Fuzz_ValidLesson_IsAcceptedWithoutClosing()
    {
        var lesson = PeerNodeFuzzTarget.LessonStream(50, 1);
        PeerNodeFuzzTarget.Fuzz([1, 3, .. lesson]);
        PeerNodeFuzzTarget.Fuzz([2, 4, .. lesson]);
    }

    [Fact]
    public void Fuzz_Class255AfterHandshake_IsRejected()
    {
        // Must not throw: the target itself asserts the 01 00 close.
        PeerNodeFuzzTarget.Fuzz([1, 0, 0, 4, 0xFF, 0x00]);
        PeerNodeFuzzTarget.Fuzz([2, 0, 0x0A, 0x80, 0xFF, 0xF0, 0xFE, 0xFE, 0x7E]);
    }

    private static byte[] Generate(Random rnd, byte[][] lessons)
    {
        var head = new[] { (byte)rnd.Next(3), (byte)rnd.Next(256) };
        switch (rnd.Next(4))
        {
            case 0:
                var raw = new byte[rnd.Next(0, 200)];
                rnd.NextBytes(raw);
                return [.. head, .. raw];
            case 1:
                var frames = new List<byte>();
                for (var f = rnd.Next(1, 12); f > 0; f--)
                {
                    var cls = rnd.Next(6) switch { 0 => 0, 1 => 10, 2 => 10, 3 => 255, 4 => 1, _ => rnd.Next(256) };
                    var type = rnd.Next(3) == 0 ? rnd.Next(5) : 0x80 + rnd.Next(8);
                    frames.Add((byte)cls);
                    frames.Add((byte)type);
                    if (type >= 0x80)
                    {
                        var len = rnd.Next(10) == 0 ? rnd.Next(16000, 20000) : rnd.Next(0, 40);
                        frames.AddRange(Varint((ulong)len));
                        var payload = new byte[Math.Min(len, 64)];
                        rnd.NextBytes(payload);
                        frames.AddRange(payload);
                    }
                }

                return [.. head, .. frames];
            default:
                var lesson = (byte[])lessons[rnd.Next(lessons.Length)].Clone();
                var cut = rnd.Next(lesson.Length + 1);
                for (var m = rnd.Next(1, 6); m > 0 && lesson.Length > 0; m--)
                {
                    var at = rnd.Next(lesson.Length);
                    lesson[at] = rnd.Next(3) switch { 0 => (byte)rnd.Next(256), 1 => (byte)(lesson[at] ^ (1 << rnd.Next(8))), _ => 0xFF };
                }

                return [(byte)(1 + rnd.Next(2)), head[1], .. lesson.AsSpan(0, cut)];
        }
    }

    private static List<byte> Varint(ulong x)
    {
        var o = new List<byte>();
        if (x < 240)
        {
            o.Add((byte)x);
            return o;
        }

        o.Add((byte)(x | 0xF0));
        x = (x - 240) >> 4;
        while (x >= 128)
        {
            o.Add((byte)(x | 0x80));
            x = (x - 128) >> 7;
        }

        o.Add((byte)x);
        return o;
    }
}
