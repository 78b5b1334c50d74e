package dev.aio4j.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ReflectiveVirtualThreadSchedulingTest {

    /** Without --add-opens, the message names the exact flag for the module in use. */
    @Test
    void missingFlagMessageNamesTheExactFlag() {
        Module unnamed = getClass().getClassLoader().getUnnamedModule();
        String m = ReflectiveVirtualThreadScheduling.missingFlagMessage(unnamed, new RuntimeException("x"));
        assertTrue(m.contains("--add-opens java.base/java.lang=ALL-UNNAMED"), m);
        assertEquals("--add-opens java.base/java.lang=" + Object.class.getModule().getName(),
                ReflectiveVirtualThreadScheduling.addOpensFlag(Object.class.getModule()));
    }
}
