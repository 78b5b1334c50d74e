package dev.aio4j.tck;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import org.junit.jupiter.api.Test;

/**
 * The API's own architecture rule, checked here because the testkit ships the
 * rules (the api module cannot depend on the testkit).
 */
class ApiArchitectureTest {

    private static JavaClasses api() {
        return new ClassFileImporter().importPackages(BackendArchitectureRules.API_PACKAGE,
                BackendArchitectureRules.NET_PACKAGE, BackendArchitectureRules.SPI_PACKAGE,
                BackendArchitectureRules.SYNC_PACKAGE);
    }

    @Test
    void apiNamesNoBackendNoEngineNoNettyNoGuava() {
        BackendArchitectureRules.apiNamesNoBackend().check(api());
    }

    @Test
    void apiUsesNoReflection() {
        BackendArchitectureRules.apiUsesNoReflection().check(api());
    }
}
