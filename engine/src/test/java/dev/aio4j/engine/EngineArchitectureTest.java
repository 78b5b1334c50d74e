package dev.aio4j.engine;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import dev.aio4j.tck.BackendArchitectureRules;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The engine's shape: JDK and the API only, and a public surface that fits on one page. */
class EngineArchitectureTest {
    private static final JavaClasses ENGINE = BackendArchitectureRules.importPackage("dev.aio4j.engine");

    /** The parts a backend composes, and the two parts our backends share. Everything else is package-private. */
    private static final Set<String> PUBLIC = Set.of("Engine", "IoDriver", "TaskThreads", "LoopHost",
            "VirtualThreadCarrier", "StreamTransport", "Joins");

    @Test
    void engineUsesOnlyTheJdkAndTheApi() {
        noClasses().should().dependOnClassesThat().resideOutsideOfPackages("java..", "dev.aio4j..")
                .orShould().dependOnClassesThat().resideInAnyPackage("dev.aio4j.tck..")
                .because("the engine is JDK only, like the API it implements")
                .check(ENGINE);
    }

    @Test
    void onlyThePartsArePublic() {
        classes().that().haveModifier(JavaModifier.PUBLIC).and().areTopLevelClasses()
                .should().haveNameMatching("dev\\.aio4j\\.engine\\.(" + String.join("|", PUBLIC) + ")")
                .because("the loop itself is final and package-private: backends differ only in their parts")
                .check(ENGINE);
    }

    @Test
    void theLoopIsFinal() {
        classes().that().haveSimpleName("EventLoop").should().haveModifier(JavaModifier.FINAL)
                .andShould().notHaveModifier(JavaModifier.PUBLIC).check(ENGINE);
    }
}
