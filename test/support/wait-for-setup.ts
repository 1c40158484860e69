// waitFor's timeout in component tests is a hang guard, not a judge of speed (README, "Tests": tests never
// assert on time). Its 1 s default failed under load: views load their lazy chunks (the detail views, the
// list's virtualizer) through dynamic imports, which a machine running browsers beside the tests answers late.
import { configure } from '@testing-library/preact';

configure({ asyncUtilTimeout: 15_000 });
