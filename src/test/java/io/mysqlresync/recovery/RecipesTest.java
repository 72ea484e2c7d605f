package io.mysqlresync.recovery;

import io.mysqlresync.diagnosis.FindingKind;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertNotNull;

class RecipesTest {

    @Test
    void everyFindingKindHasARecipe() {
        for (FindingKind kind : FindingKind.values()) {
            assertNotNull(Recipes.of(kind), kind + " has no recovery recipe");
        }
    }
}
