// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.TestKit.Tls;

/// <summary>A CA with one leaf per node, plus negative variants (expired, signed by another CA).</summary>
public sealed class TestCertificateSet : IDisposable
{
    internal TestCertificateSet(TestCertificate authority, IReadOnlyDictionary<string, TestCertificate> leaves, TestCertificate expired, TestCertificate otherAuthority, TestCertificate wrongAuthority)
    {
        Authority = authority;
        Leaves = leaves;
        Expired = expired;
        OtherAuthority = otherAuthority;
        WrongAuthority = wrongAuthority;
    }

    /// <summary>The CA that signed <see cref="Leaves"/> and <see cref="Expired"/>.</summary>
    public TestCertificate Authority { get; }

    /// <summary>One valid leaf per node name.</summary>
    public IReadOnlyDictionary<string, TestCertificate> Leaves { get; }

    /// <summary>A leaf of <see cref="Authority"/> that has expired.</summary>
    public TestCertificate Expired { get; }

    /// <summary>An unrelated CA.</summary>
    public TestCertificate OtherAuthority { get; }

    /// <summary>A valid-looking leaf signed by <see cref="OtherAuthority"/>.</summary>
    public TestCertificate WrongAuthority { get; }

    /// <inheritdoc />
    public void Dispose()
    {
        Authority.Dispose();
        foreach (var leaf in Leaves.Values)
        {
            leaf.Dispose();
        }

        Expired.Dispose();
        OtherAuthority.Dispose();
        WrongAuthority.Dispose();
    }
}
