package org.fleethealth.system;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** H2's page cache follows the heap unless the URL sizes it; other URLs are left alone. */
class H2CacheSizeTests {

	private static final long MIB = 1024 * 1024;

	@Test
	void aQuarterOfTheHeapBeyond256MibBetween16And64Mb() {
		assertThat(H2CacheSize.cacheKb(128 * MIB)).isEqualTo(16 * 1024);
		assertThat(H2CacheSize.cacheKb(256 * MIB)).isEqualTo(16 * 1024);
		assertThat(H2CacheSize.cacheKb(384 * MIB)).isEqualTo(32 * 1024);
		assertThat(H2CacheSize.cacheKb(512 * MIB)).isEqualTo(64 * 1024);
		assertThat(H2CacheSize.cacheKb(1024 * MIB)).isEqualTo(64 * 1024);
		assertThat(H2CacheSize.cacheKb(8192 * MIB)).isEqualTo(64 * 1024);
	}

	@Test
	void onlyAnEmbeddedH2UrlWithoutACacheSizeGetsOne() {
		assertThat(H2CacheSize.withCacheSize("jdbc:h2:file:./data/fleet-health;DB_CLOSE_ON_EXIT=FALSE", 256 * MIB))
			.isEqualTo("jdbc:h2:file:./data/fleet-health;DB_CLOSE_ON_EXIT=FALSE;CACHE_SIZE=16384");
		assertThat(H2CacheSize.withCacheSize("jdbc:h2:mem:x", 1024 * MIB)).isEqualTo("jdbc:h2:mem:x;CACHE_SIZE=65536");
		assertThat(H2CacheSize.withCacheSize("jdbc:h2:file:./d;cache_size=1024", 256 * MIB))
			.isEqualTo("jdbc:h2:file:./d;cache_size=1024");
		assertThat(H2CacheSize.withCacheSize("jdbc:h2:tcp://localhost/~/test", 256 * MIB))
			.isEqualTo("jdbc:h2:tcp://localhost/~/test");
		assertThat(H2CacheSize.withCacheSize("jdbc:postgresql://127.0.0.1:5432/test", 256 * MIB))
			.isEqualTo("jdbc:postgresql://127.0.0.1:5432/test");
	}

}
