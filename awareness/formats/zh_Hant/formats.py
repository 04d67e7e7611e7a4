"""Hong Kong and Taiwan group digits in threes with commas (CLDR's zh-Hant, "#,##0.###");
Django's own zh_Hant formats group in fours with no separator. Other formats stay Django's."""

THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
