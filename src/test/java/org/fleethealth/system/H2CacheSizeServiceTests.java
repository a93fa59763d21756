package org.fleethealth.system;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThat;

/** In the service, an H2 URL without a cache size gets one that follows this JVM's heap. */
@SpringBootTest(properties = { "fleet-health.poll.enabled=false", "spring.datasource.url=jdbc:h2:mem:h2cache" })
class H2CacheSizeServiceTests {

	@Autowired
	DataSource dataSource;

	@Test
	void theDataSourceUrlCarriesIt() {
		assertThat(((HikariDataSource) this.dataSource).getJdbcUrl())
			.isEqualTo("jdbc:h2:mem:h2cache;CACHE_SIZE=" + H2CacheSize.cacheKb(Runtime.getRuntime().maxMemory()));
	}

}
