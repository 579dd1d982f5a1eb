async fn total(
    items: Vec<u32>,
    extra: std::sync::mpsc::Receiver<u32>,
) -> Result<u32, String> {
    let hits = Cell::new(0u32);
    {
        let () = {
            let __failfast_outcome: ::core::result::Result<
                (),
                ::core::convert::Infallible,
            > = {
                match items {
                    __failfast_input => {
                        let __failfast_lent_hits = ::failfast::parallel_loop::Lent::new(
                            &hits,
                        );
                        let __failfast_lent_extra = ::failfast::parallel_loop::Lent::new(
                            &extra,
                        );
                        let __failfast_input = ::core::iter::IntoIterator::into_iter(
                            __failfast_input,
                        );
                        let mut __failfast_driver = ::failfast::__private::future::Driver::new(
                            __failfast_input,
                            4,
                        );
                        loop {
                            if let ::core::option::Option::Some(__failfast_item) = ::failfast::__private::future::Driver::next_item(
                                &mut __failfast_driver,
                            ) {
                                ::failfast::__private::future::Driver::start(
                                    &mut __failfast_driver,
                                    async {
                                        let x = __failfast_item.take();
                                        if ::failfast::__private::always() {
                                            (*__failfast_lent_hits.get())
                                                .set((*__failfast_lent_hits.get()).get() + x);
                                            if let Ok(more) = (*__failfast_lent_extra.get()).try_recv()
                                            {
                                                (*__failfast_lent_hits.get())
                                                    .set((*__failfast_lent_hits.get()).get() + more);
                                            }
                                            {
                                                let hits = __failfast_lent_hits.get();
                                                println!("{} hits after {x}", (* hits).get());
                                            };
                                            {
                                                let hits = __failfast_lent_hits.get();
                                                eprintln!("{hits:?}", hits = (* hits));
                                            };
                                            tick().await;
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
            match __failfast_outcome {
                ::core::result::Result::Ok(()) => {}
                ::core::result::Result::Err(__failfast_never) => {
                    match __failfast_never {}
                }
            }
        };
    }
    Ok(hits.get())
}
