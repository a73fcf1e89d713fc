// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Security.Cryptography.X509Certificates;
using Stickpeer.TestKit.Tls;

namespace Stickpeer.Node.Tests.Transport;

public sealed class TestCertificatesTests
{
    [Fact]
    public void CreateSet_ExpiredLeaf_ChainsToCaButIsExpired()
    {
        using var set = TestCertificates.CreateSet("a", "b");

        Assert.True(set.Expired.Certificate.NotAfter < DateTime.Now);
        // The expired leaf lies inside the CA's validity: only its own dates make it invalid.
        Assert.True(set.Expired.Certificate.NotBefore >= set.Authority.Certificate.NotBefore);
        Assert.Equal(set.Authority.Certificate.Subject, set.Expired.Certificate.Issuer);
        Assert.Equal(set.Authority.Certificate.Subject, set.Leaves["a"].Certificate.Issuer);
        Assert.NotEqual(set.Authority.Certificate.Subject, set.WrongAuthority.Certificate.Issuer);
        Assert.Contains(set.Leaves["b"].Certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>()
            .SelectMany(e => e.EnhancedKeyUsages.Cast<System.Security.Cryptography.Oid>()), o => o.Value == "1.3.6.1.5.5.7.3.2");
    }
}
