package org.fleethealth.system;

import java.util.Locale;

import com.zaxxer.hikari.HikariDataSource;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * H2's page cache sized to the heap, unless the H2 URL sets {@code CACHE_SIZE} itself: a quarter of the heap beyond
 * the 256 MiB the service needs for a 10,000-worker fleet, at least 16 MB and at most 64 MB (16 MB with
 * {@code -Xmx256m}, 64 MB from {@code -Xmx512m}). The cache lives in the heap: the 64 MB the default URL used to set
 * whatever the heap were a quarter of a 256 MiB one, and a 10,000-worker run ran out of it (with 32 MB as well). 64 MB
 * keeps storing new builds into a long history (1M builds) as cheap as into a short one: with 32 MB, a 512 MiB run at
 * 1,000 workers stored into 1M builds 58% slower than into 100k (bench/NOTES.md). PostgreSQL and H2 servers are left
 * as they are.
 */
@Configuration(proxyBeanMethods = false)
class H2CacheSize {

	private static final Log logger = LogFactory.getLog(H2CacheSize.class);

	static final long MIN_KB = 16 * 1024;

	static final long MAX_KB = 64 * 1024;

	/** The heap the service itself takes at 10,000 workers (its peak in the benchmark's 256 MiB run). */
	static final long SERVICE_BYTES = 256L * 1024 * 1024;

	@Bean
	static BeanPostProcessor h2CacheSizedToTheHeap() {
		return new BeanPostProcessor() {

			@Override
			public Object postProcessAfterInitialization(Object bean, String beanName) {
				// After its properties are bound, before its pool starts (at the first connection).
				if (bean instanceof HikariDataSource dataSource && dataSource.getJdbcUrl() != null) {
					String url = withCacheSize(dataSource.getJdbcUrl(), Runtime.getRuntime().maxMemory());
					if (!url.equals(dataSource.getJdbcUrl())) {
						dataSource.setJdbcUrl(url);
						logger.info("H2 page cache " + cacheKb(Runtime.getRuntime().maxMemory()) / 1024
								+ " MB (a quarter of the heap beyond 256 MiB, 16 to 64 MB); set CACHE_SIZE (KB) in"
								+ " spring.datasource.url to choose");
					}
				}
				return bean;
			}

		};
	}

	/**
	 * The URL with {@code ;CACHE_SIZE=<KB>} for a heap of {@code maxHeapBytes}, if it is an H2 URL that sets none;
	 * else the URL as it is.
	 */
	static String withCacheSize(String url, long maxHeapBytes) {
		String upper = url.toUpperCase(Locale.ROOT);
		if (!upper.startsWith("JDBC:H2:") || upper.contains(";CACHE_SIZE=") || upper.startsWith("JDBC:H2:TCP:")
				|| upper.startsWith("JDBC:H2:SSL:")) {
			// A server's cache is the server's to size.
			return url;
		}
		return url + ";CACHE_SIZE=" + cacheKb(maxHeapBytes);
	}

	/** A quarter of the heap beyond {@link #SERVICE_BYTES}, in KB, between {@link #MIN_KB} and {@link #MAX_KB}. */
	static long cacheKb(long maxHeapBytes) {
		return Math.max(MIN_KB, Math.min(MAX_KB, (maxHeapBytes - SERVICE_BYTES) / 4 / 1024));
	}

}
