/** The legal texts the definitions cite. */
export const REGULATION = 'Heilongjiang Social Credit Regulation (黑龙江省社会信用条例, 2022)';
/** Art. 55: in force from 1 July 2022. */
export const REGULATION_IN_FORCE = '2022-07-01';
export const JIANGBEI = 'Jiangbei property-service star rating measures (哈尔滨新区江北一体发展区住宅小区物业服务质量星级评定管理办法(试行), 2022)';
