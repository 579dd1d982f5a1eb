async fn fetch_all(urls: &[String], client: &Client) -> Result<(), String> {
    {
        let () = {
            let __failfast_outcome = {
                match urls {
                    __failfast_input => {
                        let __failfast_input = ::core::iter::IntoIterator::into_iter(
                            __failfast_input,
                        );
                        let mut __failfast_driver = ::failfast::__private::future::Driver::new(
                            __failfast_input,
                            8,
                        );
                        loop {
                            if let ::core::option::Option::Some(__failfast_item) = ::failfast::__private::future::Driver::next_item(
                                &mut __failfast_driver,
                            ) {
                                ::failfast::__private::future::Driver::start(
                                    &mut __failfast_driver,
                                    async {
                                        let url = __failfast_item.take();
                                        if ::failfast::__private::always() {
                                            let length = client.get(url).await?;
                                            if length == 0 {
                                                return ::failfast::parallel_loop::failure_of({
                                                    let __failfast_returned: Result<(), String> = Err(
                                                        "an empty url".into(),
                                                    );
                                                    __failfast_returned
                                                });
                                            }
                                        }
                                        ::failfast::parallel_loop::LoopStep::success()
                                    },
                                );
                            }
                            let __failfast_ended = ::failfast::__private::future::Driver::wait(
                                    &mut __failfast_driver,
                                )
                                .await;
                            if let ::core::option::Option::Some(__failfast_ended) = __failfast_ended {
                                break ::failfast::__private::future::Driver::outcome(
                                    &__failfast_driver,
                                    __failfast_ended,
                                );
                            }
                        }
                    }
                }
            };
            if let ::core::option::Option::Some(__failfast_outcome) = ::failfast::parallel_loop::FailsThrough::failed(
                __failfast_outcome,
            ) {
                return __failfast_outcome;
            }
        };
    }
    Ok(())
}
