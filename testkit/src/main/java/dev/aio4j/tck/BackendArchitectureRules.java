package dev.aio4j.tck;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The architecture rules of aio4j as reusable ArchUnit rules, so that a
 * third-party backend checks itself with the same rules as ours
 * ({@link PackagingVerification} runs them for every backend).
 *
 * <ul>
 * <li>{@link #backendUsesOnlyApiSpiAndEngine}: a backend's classes use, of
 *     aio4j, only the API ({@code dev.aio4j}, {@code dev.aio4j.net}, {@code dev.aio4j.sync}), the SPI
 *     ({@code dev.aio4j.spi}) and the engine's public parts
 *     ({@code dev.aio4j.engine}): never another backend, never the TCK.</li>
 * <li>{@link #onlyTheProviderIsPublic}: a backend's package exposes only its
 *     {@code LoopProvider}.</li>
 * <li>{@link #apiNamesNoBackend}: the API names no backend, no engine type and no Netty type.</li>
 * <li>{@link #apiUsesNoReflection}: the API reaches nothing by reflection (JDK internals are the engine's business).</li>
 * </ul>
 */
public final class BackendArchitectureRules {
    /** The API's packages. */
    public static final String API_PACKAGE = "dev.aio4j";
    /** The streams' package, part of the API. */
    public static final String NET_PACKAGE = "dev.aio4j.net";
    /** The synchronisation primitives' package, part of the API. */
    public static final String SYNC_PACKAGE = "dev.aio4j.sync";
    /** The SPI's package. */
    public static final String SPI_PACKAGE = "dev.aio4j.spi";
    /** The engine's package: the parts our backends are composed from. */
    public static final String ENGINE_PACKAGE = "dev.aio4j.engine";

    private BackendArchitectureRules() {}

    /**
     * The compiled classes (not tests) of {@code packageName} and its subpackages.
     *
     * @param packageName the package, with its subpackages
     * @return its classes
     */
    public static JavaClasses importPackage(String packageName) {
        return new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
                .importPackages(packageName);
    }

    /**
     * A backend in {@code backendPackage} depends, of aio4j, only on the API, the SPI, the engine and itself.
     *
     * @param backendPackage the backend's package
     * @return the rule
     */
    public static ArchRule backendUsesOnlyApiSpiAndEngine(String backendPackage) {
        return noClasses().that().resideInAPackage(backendPackage + "..")
                .should().dependOnClassesThat(otherAio4jPackages(backendPackage))
                .because("a backend may use only aio4j's API (" + API_PACKAGE + ", " + NET_PACKAGE + ", " + SYNC_PACKAGE + "), SPI (" + SPI_PACKAGE
                        + ") and engine (" + ENGINE_PACKAGE + "): never another backend or the TCK");
    }

    private static DescribedPredicate<JavaClass> otherAio4jPackages(String backendPackage) {
        return DescribedPredicate.describe("are in an aio4j package other than the API, the SPI, the engine and "
                + backendPackage, c -> {
                    String p = c.getPackageName();
                    boolean aio4j = p.equals(API_PACKAGE) || p.startsWith(API_PACKAGE + ".");
                    return aio4j && !p.equals(API_PACKAGE) && !p.equals(SPI_PACKAGE) && !p.equals(NET_PACKAGE)
                            && !p.equals(SYNC_PACKAGE) && !p.equals(ENGINE_PACKAGE) && !p.equals(backendPackage) && !p.startsWith(backendPackage + ".");
                });
    }

    /**
     * Only {@code provider} is public in {@code backendPackage} (nested types of it included).
     *
     * @param backendPackage the backend's package
     * @param provider the provider class
     * @return the rule
     */
    public static ArchRule onlyTheProviderIsPublic(String backendPackage, Class<?> provider) {
        return classes().that().resideInAPackage(backendPackage + "..")
                .and().haveModifier(JavaModifier.PUBLIC)
                .and().areTopLevelClasses()
                .should().haveFullyQualifiedName(provider.getName())
                .because("a backend's only public type is its LoopProvider: applications use the API, never backend classes")
                .allowEmptyShould(true);
    }

    /**
     * The API's packages name no backend, no engine type, no Netty or Guava type.
     *
     * @return the rule
     */
    public static ArchRule apiNamesNoBackend() {
        return noClasses().that().resideInAnyPackage(API_PACKAGE, NET_PACKAGE, SPI_PACKAGE, SYNC_PACKAGE)
                .should().dependOnClassesThat(DescribedPredicate.describe(
                        "belong to a backend, the engine, the TCK, the benchmarks, Netty or Guava", c -> {
                            String p = c.getPackageName();
                            return p.startsWith("io.netty") || p.startsWith("com.google.common")
                                    || (p.startsWith(API_PACKAGE + ".") && !p.equals(SPI_PACKAGE) && !p.equals(NET_PACKAGE)
                                            && !p.equals(SYNC_PACKAGE));
                        }))
                .because("the API depends on the JDK only and names no backend, so that backends are interchangeable jars");
    }

    /**
     * The API's packages use no reflection: the JDK internals a backend may
     * need (a custom virtual-thread scheduler) are reached by the engine, so
     * that {@code --add-opens} names the engine's module, never the API's.
     *
     * @return the rule
     */
    public static ArchRule apiUsesNoReflection() {
        return noClasses().that().resideInAnyPackage(API_PACKAGE, NET_PACKAGE, SPI_PACKAGE, SYNC_PACKAGE)
                .should().dependOnClassesThat().resideInAnyPackage("java.lang.reflect..", "java.lang.invoke..")
                .because("the API is JDK only without reflection: JDK internals are the engine's business");
    }
}
